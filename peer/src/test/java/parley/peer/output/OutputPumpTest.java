package parley.peer.output;

import org.junit.jupiter.api.Test;
import parley.peer.event.PeerEvent;
import parley.peer.event.ContactEvents;
import parley.peer.event.MessageEvents;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 19 item 10: a contact flooding messages at a slow terminal cannot grow the output queue. */
class OutputPumpTest {
    private static final int FLOOD = 20_000;

    @Test
    void aFloodBehindAStuckTerminalIsBoundedAndSummarisedOnceItCatchesUp() throws Exception {
        CountDownLatch terminalStuck = new CountDownLatch(1);
        List<PeerEvent> printed = new CopyOnWriteArrayList<>();
        OutputPump pump = new OutputPump("test-output", PeerEvent::toString, line -> {
            try {
                terminalStuck.await(30, TimeUnit.SECONDS); // a terminal that does not read
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, printed::add);
        for (int i = 0; i < FLOOD; i++) {
            pump.emit(new MessageEvents.Message("mallory", i, "flood " + i, 0));
        }
        pump.emit(new ContactEvents.Who(List.of())); // the answer to a command of your own is never dropped
        terminalStuck.countDown();
        pump.close();

        long shown = printed.stream().filter(e -> e.type().equals("message")).count();
        assertThat(shown).isLessThanOrEqualTo(OutputPump.DEFAULT_HIGH_WATER);
        assertThat(printed).anySatisfy(e -> assertThat(e.type()).isEqualTo("who"));
        MessageEvents.HeldBack summary = printed.stream().filter(e -> e instanceof MessageEvents.HeldBack)
                .map(e -> (MessageEvents.HeldBack) e).findFirst().orElseThrow();
        assertThat(summary.from()).isEqualTo("mallory");
        assertThat(shown + summary.count()).isEqualTo(FLOOD);
    }

    @Test
    void messagesFlowAgainAfterTheOutputCaughtUp() throws Exception {
        List<PeerEvent> printed = new CopyOnWriteArrayList<>();
        CountDownLatch stuck = new CountDownLatch(1);
        OutputPump pump = new OutputPump("test-output", PeerEvent::toString, line -> {
            try {
                stuck.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, printed::add, 4, 1);
        CountDownLatch relieved = new CountDownLatch(1);
        pump.onRelief(relieved::countDown);
        for (int i = 0; i < 10; i++) {
            pump.emit(new MessageEvents.Message("mallory", i, "m" + i, 0));
        }
        assertThat(pump.saturated()).isTrue();
        assertThat(pump.queued()).isLessThanOrEqualTo(4);
        stuck.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pump.saturated() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pump.saturated()).isFalse();
        assertThat(relieved.await(30, TimeUnit.SECONDS)).isTrue(); // the receive side may take messages again
        pump.emit(new MessageEvents.Message("amy", 99, "after", 0));
        pump.close();
        assertThat(printed).anySatisfy(e -> assertThat(e).isEqualTo(new MessageEvents.Message("amy", 99, "after", 0)));
        assertThat(printed).anySatisfy(e -> assertThat(e.type()).isEqualTo("held_back"));
    }
}
