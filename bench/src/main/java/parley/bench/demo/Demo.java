package parley.bench.demo;

import parley.peer.core.PeerConfig;
import parley.peer.event.AccountEvents;
import parley.peer.event.ContactEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./parley demo}: a registry and three peers on loopback, in one process, each peer on its
 * own loop and data directory and driven through the same command path as a real peer in script
 * mode. Shows registration, visibility, contacts, a chat both ways with delivery confirmations,
 * an invisible user who cannot be found, each peer's /stats, and a message to an offline user,
 * sealed into the registry's mailbox and delivered when they come back.
 */
@Command(name = "parley demo", mixinStandardHelpOptions = true,
        description = "Start a registry and three scripted peers on loopback and show them chat.")
public final class Demo implements Callable<Integer> {
    @Option(names = "--json", description = "print events as JSON lines instead of text")
    boolean json;

    public static void main(String[] args) {
        // Log lines would tear through the transcript or the prompt: warnings only unless asked.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path dir = Files.createTempDirectory("parley-demo");
        RegistryServer server = null;
        DemoPeer[] peers = new DemoPeer[3];
        try {
            // TLS as in production: a self-signed key in the demo's data directory, and peers that
            // pin its fingerprint up front (what --server-fingerprint does), so no manual step.
            parley.core.tls.ServerIdentity identity = parley.core.tls.ServerIdentity.loadOrCreate(dir, "parley-demo").identity;
            RegistryConfig rc = new RegistryConfig();
            rc.tls = parley.core.tls.TlsContexts.server(identity);
            fingerprint = identity.fingerprint();
            server = RegistryServer.start(rc, new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", 0), dir.resolve("registry.db"));
            out.println("== registry key fingerprint " + fingerprint);
            out.println("== registry on " + server.tcpAddress() + " (UDP probe port " + server.udpAddress().getPort()
                    + "), data in " + dir);
            String[] names = {"amy", "bob", "carol"};
            for (int i = 0; i < 3; i++) {
                peers[i] = new DemoPeer(names[i], config(names[i], server, dir), json, out);
                peers[i].await(AccountEvents.Ready.class);
            }
            script(peers[0], peers[1], peers[2], out);
            peers[1] = offlineDelivery(peers[0], peers[1], config("bob", server, dir), out);
            for (DemoPeer p : peers) {
                p.quit();
            }
            out.println("== done");
            return 0;
        } catch (IllegalStateException e) {
            out.println("demo failed: " + e.getMessage());
            return 1;
        } finally {
            for (DemoPeer p : peers) {
                if (p != null) {
                    p.close();
                }
            }
            if (server != null) {
                server.close();
            }
            deleteQuietly(dir);
        }
    }

    private static String fingerprint;

    private static PeerConfig config(String name, RegistryServer server, Path dir) {
        PeerConfig c = new PeerConfig();
        c.serverFingerprint = fingerprint;
        c.name = name;
        c.server = server.tcpAddress();
        c.registryUdpPort = server.udpAddress().getPort();
        c.dataDir = dir.resolve(name);
        return c;
    }

    /**
     * Step 8: bob goes offline; amy's message is sealed into his mailbox in the registry (queued);
     * bob starts again and logs in: the message arrives, and amy sees it delivered. Returns bob's
     * new peer.
     */
    private DemoPeer offlineDelivery(DemoPeer amy, DemoPeer bob, PeerConfig bobConfig, PrintStream out) throws Exception {
        out.println("\n== 8. offline delivery: bob quits; amy's message waits, sealed, in his mailbox");
        bob.quit();
        bob.close();
        amy.await(SessionEvents.SessionClosed.class, e -> "bob".equals(e.user()));
        amy.type("/msg bob Sealed for you while you were away: only your device can open this.");
        MessageEvents.Sending sent = amy.await(MessageEvents.Sending.class, e -> e.text().startsWith("Sealed for you"));
        amy.await(MessageEvents.Queued.class, e -> e.id() == sent.id());
        out.println("\n== 9. bob comes back: the message is delivered from the mailbox, and amy hears so");
        DemoPeer back = new DemoPeer("bob", bobConfig, json, out);
        back.await(AccountEvents.Ready.class);
        back.type("/login bob secret-bob");
        back.await(AccountEvents.LoggedIn.class);
        back.await(MessageEvents.Message.class, e -> e.id() == sent.id());
        amy.await(MessageEvents.Delivered.class, e -> e.id() == sent.id());
        amy.type("/history bob 3");
        amy.await(MessageEvents.History.class);
        out.println();
        return back;
    }

    private static void script(DemoPeer amy, DemoPeer bob, DemoPeer carol, PrintStream out) {
        out.println("\n== 1. register and log in");
        for (DemoPeer p : new DemoPeer[]{amy, bob, carol}) {
            p.type("/register " + p.name + " secret-" + p.name);
            p.await(AccountEvents.Registered.class);
            p.type("/login " + p.name + " secret-" + p.name);
            p.await(AccountEvents.LoggedIn.class);
        }

        out.println("\n== 2. visibility: amy shows herself to everyone, bob to contacts, carol to nobody");
        amy.type("/visibility everyone");
        amy.await(AccountEvents.Visibility.class);
        carol.type("/visibility nobody");
        carol.await(AccountEvents.Visibility.class);

        out.println("\n== 3. amy and bob become contacts");
        amy.type("/add bob");
        bob.await(ContactEvents.ContactRequest.class, e -> "amy".equals(e.from()));
        bob.type("/accept amy");
        amy.await(ContactEvents.Contact.class, e -> "accepted".equals(e.change()));

        out.println("\n== 4. chat both ways, with delivery confirmations");
        amy.type("/msg bob Hi Bob! Direct and encrypted, the registry never sees this.");
        MessageEvents.Sending first = amy.await(MessageEvents.Sending.class);
        // Contacts: bob's side opens at once, no second "/accept" (issue 12).
        bob.await(MessageEvents.Message.class, e -> "amy".equals(e.from()));
        amy.await(MessageEvents.Delivered.class, e -> e.id() == first.id());
        bob.type("/chat amy");
        bob.type("Hello Amy, loud and clear.");
        MessageEvents.Sending reply = bob.await(MessageEvents.Sending.class);
        amy.await(MessageEvents.Message.class, e -> "bob".equals(e.from()));
        bob.await(MessageEvents.Delivered.class, e -> e.id() == reply.id());
        amy.type("/verify bob");
        amy.await(SessionEvents.Verify.class);
        bob.type("/verify amy");
        bob.await(SessionEvents.Verify.class);

        out.println("\n== 5. who is online? bob sees amy (everyone); nobody sees carol (nobody)");
        bob.type("/who");
        bob.await(ContactEvents.Who.class);

        out.println("\n== 6. amy cannot find invisible carol: it looks exactly like carol being offline");
        amy.type("/msg carol are you there?");
        amy.await(MessageEvents.Failed.class, e -> "carol".equals(e.to()));

        out.println("\n== 7. per-session statistics");
        for (DemoPeer p : new DemoPeer[]{amy, bob, carol}) {
            p.type("/stats");
            p.await(SessionEvents.Stats.class);
        }
        out.println();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp directory left behind is harmless
        }
    }
}
