package parley.server.protocol.client;

import parley.core.wire.WireException;
import parley.server.protocol.MailDepositReply;
import parley.server.protocol.MailPage;

/**
 * Turns the raw replies of MAIL_DEPOSIT and MAIL_FETCH into {@link RegistryClient}'s typed ones.
 * A reply body that does not decode is reported with its wire error code (MALFORMED_BODY), like
 * an ERROR from the registry, so a caller has one path for every failure.
 */
final class MailReplies {
    private MailReplies() {
    }

    static RegistryClient.Reply deposit(RegistryClient.DepositReply reply) {
        return (error, reason, body) -> {
            if (error != 0) {
                reply.onDeposited(error, reason, 0);
                return;
            }
            long at;
            try {
                at = MailDepositReply.decode(body).expiresAtMillis();
            } catch (WireException e) {
                reply.onDeposited(e.code(), e.getMessage(), 0);
                return;
            }
            reply.onDeposited(0, null, at);
        };
    }

    static RegistryClient.Reply page(RegistryClient.FetchReply reply) {
        return (error, reason, body) -> {
            if (error != 0) {
                reply.onPage(error, reason, null);
                return;
            }
            MailPage page;
            try {
                page = MailPage.decode(body);
            } catch (WireException e) {
                reply.onPage(e.code(), e.getMessage(), null);
                return;
            }
            reply.onPage(0, null, page);
        };
    }
}
