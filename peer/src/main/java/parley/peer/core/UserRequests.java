package parley.peer.core;

import parley.core.wire.BodyReader;
import parley.core.wire.WireException;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.output.EventSink;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryErrors;

/**
 * Registry requests made for a command the user typed: a failure becomes an error event that says
 * what to do, and an answer that breaks the protocol an error event instead of an exception.
 */
final class UserRequests {
    /** Reads a successful answer. */
    @FunctionalInterface
    interface Answer {
        void accept(BodyReader r);
    }

    private final RegistryRequests link;
    private final EventSink sink;

    UserRequests(RegistryRequests link, EventSink sink) {
        this.link = link;
        this.sink = sink;
    }

    /** Sends the request; {@code user} is who the command names, for the error sentence (may be null). */
    void send(int opcode, RegistryClient.Body body, String user, Answer onOk) {
        link.request(opcode, body == null ? w -> { } : body, (err, reason, r) -> {
            if (err != 0) {
                sink.emit(failure(err, reason, user));
                return;
            }
            try {
                onOk.accept(r);
            } catch (WireException e) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.MALFORMED_BODY,
                        "the registry sent a malformed answer: " + e.getMessage()));
            }
        });
    }

    /** The error event for a failed request. */
    static ConsoleEvents.Error failure(int err, String reason, String user) {
        String message = err == RegistryErrors.NOT_AUTHENTICATED
                ? "you are not logged in: /login <user> (or /register <user> first)"
                : ErrorText.explain(err, reason, user);
        return new ConsoleEvents.Error(ErrorText.code(err), message);
    }
}
