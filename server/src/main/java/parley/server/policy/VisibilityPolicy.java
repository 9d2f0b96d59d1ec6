package parley.server.policy;

/**
 * Decides whether one user can see another. The answer is the same for "hidden" and "does not
 * exist": callers must then answer exactly as for an unknown user (NO_SUCH_USER), so a block or
 * a NOBODY setting cannot be told apart from a name nobody owns.
 *
 * <p>Order of rules: self first (a user is never hidden from themselves), then blocks (a user
 * blocked by the target sees nothing, whatever the visibility), then the target's setting.
 */
public final class VisibilityPolicy {
    private VisibilityPolicy() {
    }

    public static boolean canSee(long viewer, long target, Visibility targetVisibility,
                                 boolean areContacts, boolean targetBlockedViewer) {
        if (viewer == target) {
            return true;
        }
        if (targetBlockedViewer) {
            return false;
        }
        switch (targetVisibility) {
            case EVERYONE:
                return true;
            case CONTACTS:
                return areContacts;
            case NOBODY:
            default:
                return false;
        }
    }
}
