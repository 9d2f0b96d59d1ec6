package parley.bench.transfer;

import parley.bench.bottleneck.Lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench transfer --lab}: the same file through a plain TCP stream copy and through Parley's
 * file transfer, both between the namespaces A and B of the bottleneck lab
 * ({@code tools/lab/bottleneck.sh}), through R, which drops a random share of the packets it
 * forwards in each direction (iptables statistic) and delays the return path (the NFQUEUE delay
 * program; this kernel has no netem). Each side is its own process ({@link TransferLabChild}). A
 * round times each copy from the go (TCP: the sender's connect; Parley: the receiver's accept of
 * the offer) to the receiver having the whole file (Parley: hash-verified and renamed into place).
 */
final class TransferLab {
    /** Goodput of one round, MB/s. */
    record Round(double tcp, double parley) {
        double ratio() {
            return parley / tcp;
        }
    }

    private TransferLab() {
    }

    /** Runs {@code rounds} rounds in one lab, which is down again when this returns or throws. */
    static List<Round> run(Path src, Path dir, int rounds, String rate, String rtt, double loss) throws Exception {
        try (Lab lab = Lab.up(rate, rtt, loss)) {
            return run(lab, src, dir, rounds, rate);
        }
    }

    /** Runs {@code rounds} rounds in {@code lab} (the caller takes it down). */
    static List<Round> run(Lab lab, Path src, Path dir, int rounds, String rate) throws Exception {
        long size = Files.size(src);
        List<Round> result = new ArrayList<>();
        System.out.printf("lab: namespaces %s-{a,r,b}, %s tbf on R->B, %.0f ms added RTT (NFQUEUE delay on B->A),"
                + " %.1f%% random loss on R each way (iptables statistic); file %d MiB, A -> B%n",
                lab.name, rate, lab.delayMs, lab.loss * 100, size >> 20);
        for (int r = 0; r < rounds; r++) {
            Path roundDir = dir.resolve("lab-round-" + r);
            Files.createDirectories(roundDir);
            double tcp = tcp(lab, src, roundDir.resolve("tcp.bin"), size);
            double parley = parley(lab, src, roundDir, size);
            Round round = new Round(tcp, parley);
            result.add(round);
            System.out.printf("round %d: tcp %.2f MB/s, parley %.2f MB/s, ratio %.2f%n", r + 1, tcp, parley, round.ratio());
        }
        return result;
    }

    private static double tcp(Lab lab, Path src, Path dst, long size) throws Exception {
        try (LabProcess recv = new LabProcess(lab.bNs, "tcp-recv", lab.bAddr, dst.toString());
             LabProcess send = new LabProcess(lab.aNs, "tcp-send", lab.bAddr, recv.ready[1], src.toString())) {
            long start = System.nanoTime();
            send.tell("go");
            long bytes = Long.parseLong(recv.await("done").split(" ")[1]);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (bytes != size) {
                throw new IllegalStateException("tcp copy got " + bytes + " of " + size + " bytes");
            }
            return size / 1e6 / seconds;
        }
    }

    private static double parley(Lab lab, Path src, Path dir, long size) throws Exception {
        try (LabProcess recv = new LabProcess(lab.bNs, "parley-recv", lab.bAddr, dir.resolve("b").toString());
             LabProcess send = new LabProcess(lab.aNs, "parley-send", lab.aAddr, dir.resolve("a").toString(), src.toString())) {
            recv.peer(lab.aAddr, send);
            send.peer(lab.bAddr, recv);
            recv.await("offered");
            long start = System.nanoTime();
            recv.tell("accept");
            recv.await("received");
            return size / 1e6 / ((System.nanoTime() - start) / 1e9);
        }
    }
}
