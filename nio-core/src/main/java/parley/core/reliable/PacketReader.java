package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Takes apart each authenticated packet of a {@link ReliableSession}: drops duplicates and
 * malformed or unholdable packets, then acts on its frames in order. STREAM data goes to stream
 * 0 and BULK data to stream 1 (PROTOCOL.md 9.9), ACK and BULK_WINDOW to the sender's two
 * windows and the loss detector, REJECT to the sender, path frames to the path listener, SUITES
 * to the {@link SuitesExchange} (PROTOCOL.md 9.3; accepted wherever it sits in the packet). Kept
 * apart from the session so the session keeps to sending, timers and its life cycle. Loop thread
 * only; allocates nothing.
 */
final class PacketReader {
    private final ReliableSession session;
    private final Sender sender;
    private final Receiver receiver;
    private final LossDetector loss;
    private final PacketAssembler packets;
    private final SessionCounters counters;
    private final SessionListener listener;
    private final SuitesExchange suites;
    private final AckFrame ackFrame = new AckFrame();
    private PathListener paths = PathListener.NONE;

    PacketReader(ReliableSession session, Sender sender, Receiver receiver, LossDetector loss, PacketAssembler packets,
                 SessionCounters counters, SessionListener listener, SuitesExchange suites) {
        this.session = session;
        this.suites = suites;
        this.sender = sender;
        this.receiver = receiver;
        this.loss = loss;
        this.packets = packets;
        this.counters = counters;
        this.listener = listener;
    }

    void pathListener(PathListener listener) {
        this.paths = listener;
    }

    /** See {@link ReliableSession#onPacket}; the session is alive on entry. */
    boolean onPacket(long pn, ByteBuffer frames, long now) {
        if (receiver.isDuplicate(pn)) {
            counters.duplicatePackets++;
            return false;
        }
        int start = frames.position();
        if (!Frames.valid(frames)) {
            counters.malformedPackets++;
            return false;
        }
        frames.position(start);
        if (!receiver.fits(frames)) {
            counters.unheldPackets++; // not recorded, so not acknowledged: the sender resends it
            return false;
        }
        frames.position(start);
        boolean outOfOrder = receiver.record(pn, now);
        counters.packetsReceived++;
        session.received(now);
        boolean eliciting = false;
        while (frames.hasRemaining()) {
            int type = frames.get() & 0xFF;
            switch (type) {
                case Frames.STREAM:
                case Frames.BULK: {
                    long offset = frames.getLong();
                    int length = frames.getShort() & 0xFFFF;
                    boolean held = type == Frames.STREAM ? receiver.onStream(offset, frames, frames.position(), length)
                            : receiver.onBulk(offset, frames, frames.position(), length);
                    if (!held) {
                        session.die(type == Frames.STREAM ? "peer sent beyond the flow-control window"
                                : "peer sent beyond the flow-control window of stream 1");
                        return false;
                    }
                    Frames.skip(frames, length);
                    eliciting = true;
                    break;
                }
                case Frames.ACK:
                    onAck(ackFrame.read(frames), now);
                    if (session.isDead()) {
                        return true;
                    }
                    break;
                case Frames.BULK_WINDOW:
                    sender.onBulkWindow(frames.getLong(), frames.getLong());
                    if (session.isDead()) {
                        return true; // the listener closed the session on a delivery
                    }
                    break;
                case Frames.PING:
                    eliciting = true;
                    break;
                case Frames.CLOSE:
                    Frames.skip(frames, Frames.CLOSE_REASON_LENGTH);
                    session.die("closed by peer");
                    return true;
                case Frames.REJECT: {
                    long end = frames.getLong();
                    sender.onReject(end, frames.get() & 0xFF);
                    eliciting = true;
                    break;
                }
                case Frames.PATH_CHALLENGE:
                    paths.onPathChallenge(frames.getLong());
                    break;
                case Frames.PATH_RESPONSE:
                    paths.onPathResponse(frames.getLong());
                    break;
                case Frames.SUITES:
                    suites.onPeerSuites(SuitesFrame.readMask(frames));
                    eliciting = true;
                    break;
                case Frames.PADDING:
                    frames.position(frames.limit());
                    break;
                default:
                    throw new IllegalStateException("validated frames hold an unknown type");
            }
        }
        if (!receiver.deliver()) {
            session.die("peer sent a message over the size limit");
            return true;
        }
        if (eliciting) {
            receiver.onEliciting(outOfOrder, now);
        }
        sender.maybeWritable();
        return true;
    }

    private void onAck(AckFrame ack, long now) {
        if (!loss.onAck(ack, now)) {
            return; // acknowledges a packet never sent: the frame is ignored
        }
        if (loss.rttSample() >= 0) {
            listener.onRttSample(loss.rttSample());
        }
        receiver.confirmRejections(ack.largest);
        sender.onAckOffsets(ack.delivered, ack.windowLimit);
        loss.detectLosses(now);
        packets.afterLossDetection();
    }
}
