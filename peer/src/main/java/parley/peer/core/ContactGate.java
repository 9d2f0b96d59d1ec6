package parley.peer.core;

import java.util.function.Predicate;

/**
 * Whether a user is our contact, and whether that answer can be trusted yet: right after a login
 * the list is empty until the registry's first CONTACTS answer of that login, so a "no" before it
 * means "not known yet", not "not a contact". Decisions that a wrong "no" would spoil (leaving a
 * message in a contact's mailbox, auto-accepting a contact's chat request) wait with
 * {@link #whenLoaded}. Loop thread only.
 */
interface ContactGate {
    boolean isContact(String user);

    /** True once this login's first CONTACTS answer (or its failure) has come. */
    boolean loaded();

    /** Runs {@code then} on the loop once {@link #loaded}: at once if it is already. */
    void whenLoaded(Runnable then);

    /** A gate that is always open over a fixed rule, for tests and front-ends without a registry list. */
    static ContactGate always(Predicate<String> isContact) {
        return new ContactGate() {
            @Override
            public boolean isContact(String user) {
                return isContact.test(user);
            }

            @Override
            public boolean loaded() {
                return true;
            }

            @Override
            public void whenLoaded(Runnable then) {
                then.run();
            }
        };
    }
}
