package parley.peer.core;

import parley.core.wire.ErrorCode;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryErrors;

/**
 * Turns a registry error into a sentence that says what went wrong and what to do. The code is
 * passed through by name for scripts; the sentence is for people.
 */
final class ErrorText {
    private ErrorText() {
    }

    static String code(int code) {
        return RegistryClient.errorName(code);
    }

    static String explain(int code, String reason, String user) {
        String who = user == null ? "that user" : user;
        switch (code) {
            case RegistryClient.CONNECTION_LOST:
                return "the registry is unreachable (" + reason + "); reconnecting in the background, try again shortly";
            case RegistryErrors.NO_SUCH_USER:
                return "user " + who + " not found (no such user, or not visible to you); check the spelling";
            case RegistryErrors.PEER_UNAVAILABLE:
                return who + " is offline or not visible to you; try again when /who lists them";
            case RegistryErrors.AUTH_FAILED:
                return "login failed: wrong username or password, or no such account (create one with /register)";
            case RegistryErrors.USERNAME_TAKEN:
                return "the name " + who + " is taken; pick another";
            case RegistryErrors.USERNAME_TOO_SHORT:
            case RegistryErrors.USERNAME_TOO_LONG:
            case RegistryErrors.USERNAME_BAD_CHARACTER:
                return "bad username: " + reason + " (3-32 of A-Z a-z 0-9 _ - .)";
            case RegistryErrors.NOT_AUTHENTICATED:
                return "you are not logged in: /login <user> first";
            case RegistryErrors.ALREADY_AUTHENTICATED:
                return "already logged in: /logout first";
            case RegistryErrors.THROTTLED:
                return "too many failed logins: " + reason;
            case RegistryErrors.ALREADY_CONTACTS:
                return "you and " + who + " are contacts already";
            case RegistryErrors.REQUEST_PENDING:
                return "a contact request between you and " + who + " is already pending";
            case RegistryErrors.NO_PENDING_REQUEST:
                return "there is no pending request from " + who;
            case RegistryErrors.NOT_CONTACTS:
                return who + " is not your contact";
            case RegistryErrors.CANNOT_TARGET_SELF:
                return "that command cannot name yourself";
            case RegistryErrors.TOO_MANY_PENDING:
                return "too many requests waiting for an answer; wait for some to be answered";
            case RegistryErrors.NO_ENDPOINT:
                return "the registry does not know your UDP endpoint yet; try again in a moment";
            case RegistryErrors.NO_SUCH_INVITE:
                return "that chat request from " + who + " expired; ask them to send again";
            case RegistryErrors.STORAGE_FAILED:
                return "the registry could not save the change; try again";
            case RegistryErrors.MAILBOX_FULL:
                return who + "'s mailbox is full (MAILBOX_FULL: its quota of messages or bytes is used up); nothing was"
                        + " left there: send again once " + who + " has read their mail";
            case ErrorCode.RATE_LIMITED:
                return "slow down: the registry is rate-limiting you";
            default:
                return reason == null ? code(code) : reason;
        }
    }
}
