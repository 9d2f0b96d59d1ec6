package parley.server.policy;

/**
 * Who may find a user in WHO, SEARCH and LOOKUP answers and who may ask to connect to them.
 * The wire code is one byte; {@link #fromCode} returns null for an unknown code so the caller can
 * answer BAD_VISIBILITY instead of throwing on hostile input.
 */
public enum Visibility {
    EVERYONE(0),
    /** The default: a new account is seen by its contacts only. */
    CONTACTS(1),
    NOBODY(2);

    public static final Visibility DEFAULT = CONTACTS;

    private static final Visibility[] BY_CODE = {EVERYONE, CONTACTS, NOBODY};

    private final int code;

    Visibility(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Visibility fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
