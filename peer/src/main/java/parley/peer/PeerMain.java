package parley.peer;

import parley.peer.core.PeerConfig;
import parley.peer.term.PasswordSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./parley peer}: the terminal chat client, or script mode when stdin is not a terminal. */
@Command(name = "parley peer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The Parley chat client.",
                "On a terminal: line editing, history, tab completion and a status line; type /help.",
                "Otherwise (or with --script): reads commands line by line and writes one event per line."})
public final class PeerMain implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "host:port[,host:port...]",
            description = "registry address, or a cluster's node addresses in order: the peer moves to the next when one is unreachable or dies (default: ${DEFAULT-VALUE})")
    String server = "127.0.0.1:7400";

    @Option(names = "--registry-udp-port", paramLabel = "port",
            description = "registry UDP probe port (default: the same number as its TCP port)")
    int registryUdpPort;

    @Option(names = "--data", paramLabel = "dir", description = "local data directory (default: ~/.parley)")
    Path data = Path.of(System.getProperty("user.home"), ".parley");

    @Option(names = "--downloads", paramLabel = "dir", description = "where received files go (default: <data>/downloads)")
    Path downloads;

    @Option(names = "--max-file-size", paramLabel = "bytes", defaultValue = "1099511627776",
            description = "decline offered files larger than this (default: ${DEFAULT-VALUE}, 1 TiB); free disk space is checked too")
    long maxFileSize;

    @Option(names = "--max-datagram", paramLabel = "bytes", defaultValue = "65507",
            description = "largest UDP datagram path-MTU probing may raise a direct path to, 1200-65507 (default: ${DEFAULT-VALUE});"
                    + " 1200 turns probing off (PROTOCOL.md 9.8)")
    int maxDatagram;

    @Option(names = "--udp-port", paramLabel = "port", description = "UDP port for peer sessions (default: 0, any free port)")
    int udpPort;

    @Option(names = "--json", description = "script mode: write each event as one JSON object per line")
    boolean json;

    @Option(names = "--script", description = "script mode even on a terminal")
    boolean script;

    @Option(names = "--user", paramLabel = "name", description = "log in as this user at start")
    String user;

    @Option(names = "--password-file", paramLabel = "file",
            description = "read the password from this file (first line) instead of asking")
    Path passwordFile;

    @Option(names = "--auto-accept", paramLabel = "contacts",
            description = "'contacts': accept chat requests from contacts without asking (now the default; kept for old scripts)")
    String autoAccept;

    @Option(names = "--confirm-sessions",
            description = "ask before opening every chat session, from contacts too (default: contacts' sessions open at once)")
    boolean confirmSessions;

    @Option(names = "--no-direct",
            description = "chat only through the registry's relay: no contact learns your IP address, at the cost of latency "
                    + "(default: move to a direct path when one works)")
    boolean noDirect;
    @Option(names = "--strict-identity",
            description = "hold sending to a contact whose identity key changed until you /verify <user> confirm")
    boolean strictIdentity;

    @Option(names = "--max-sessions", paramLabel = "n", defaultValue = "64",
            description = "chat sessions open at once at most, one per user (default: ${DEFAULT-VALUE})")
    int maxSessions;

    @Option(names = "--server-fingerprint", paramLabel = "SHA256:hex",
            description = "the registry's key fingerprint (its operator prints it at start); default: trust on first use, "
                    + "pinned in <data>/known-servers")
    String serverFingerprint;

    @Option(names = "--tls-system-trust",
            description = "the registry has an operator certificate: check it against the system's CAs and its host name")
    boolean tlsSystemTrust;

    @Option(names = "--insecure-plaintext",
            description = "talk to a registry started with --insecure-plaintext: no encryption, no server check. Tests only")
    boolean insecurePlaintext;

    @Option(names = "--keylog", paramLabel = "file",
            description = "append every chat session's keys to this file (default: $PARLEY_KEYLOG), so Wireshark can "
                    + "decrypt a capture (docs/WIRESHARK.md). DEFEATS THE ENCRYPTION: debugging only")
    Path keyLog;

    @Option(names = "--forget-server", paramLabel = "host:port",
            description = "remove the stored key pin of this registry (after its key was changed on purpose), then exit")
    String forgetServer;

    /** {@code --keylog} wins; else {@code PARLEY_KEYLOG} when set and not empty; else no key log. */
    static Path keyLogFile(Path option, String environment) {
        if (option != null) {
            return option;
        }
        return environment == null || environment.isBlank() ? null : Path.of(environment);
    }

    public static void main(String[] args) {
        // Log lines would tear through the transcript or the prompt: warnings only unless asked.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // A peer whose loop died can neither chat nor say so: end it visibly instead.
        parley.core.loop.EventLoop.setDefaultDeathHook(parley.core.loop.EventLoop.DeathHook.exitProcess(
                "parley peer", parley.core.loop.EventLoop.EXIT_LOOP_DIED));
        System.exit(new CommandLine(new PeerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (forgetServer != null) {
            return forget(forgetServer);
        }
        PeerConfig config = new PeerConfig();
        java.util.List<InetSocketAddress> servers = new java.util.ArrayList<>();
        for (String one : server.split(",")) {
            servers.add(parseHostPort(one.trim()));
        }
        config.server = servers.get(0);
        config.servers = servers.size() > 1 ? java.util.List.copyOf(servers) : java.util.List.of();
        if (insecurePlaintext && (serverFingerprint != null || tlsSystemTrust)) {
            System.err.println("parley peer: --insecure-plaintext cannot be combined with --server-fingerprint or --tls-system-trust");
            return 2;
        }
        if (insecurePlaintext) {
            System.err.println("WARNING: --insecure-plaintext: the registry connection is not encrypted and the server is "
                    + "not authenticated; anyone on the path can read and change it. For tests only.");
        }
        config.insecurePlaintext = insecurePlaintext;
        config.keyLog = keyLogFile(keyLog, System.getenv("PARLEY_KEYLOG"));
        config.tlsSystemTrust = tlsSystemTrust;
        if (serverFingerprint != null) {
            try {
                config.serverFingerprint = parley.core.tls.Fingerprint.parse(serverFingerprint);
            } catch (IllegalArgumentException e) {
                System.err.println("parley peer: --server-fingerprint: " + e.getMessage());
                return 2;
            }
        }
        config.registryUdpPort = registryUdpPort;
        config.dataDir = data;
        config.downloads = downloads;
        config.maxFileBytes = maxFileSize;
        config.maxDatagram = maxDatagram;
        config.udpPort = udpPort;
        if (autoAccept != null) {
            if (!"contacts".equals(autoAccept)) {
                System.err.println("parley peer: --auto-accept takes 'contacts'");
                return 2;
            }
            config.autoAcceptContacts = true;
        }
        if (confirmSessions) {
            config.autoAcceptContacts = false;
        }
        config.noDirect = noDirect;
        if (maxSessions < 1) {
            System.err.println("parley peer: --max-sessions must be at least 1");
            return 2;
        }
        config.maxSessions = maxSessions;
        config.strictIdentity = strictIdentity;
        PasswordSource fromFile = passwordFile == null ? null : (u, registering) -> readPassword(passwordFile);
        if (script || json || System.console() == null) {
            return ScriptMain.run(config, json, user, fromFile);
        }
        return TerminalMain.run(config, user, fromFile);
    }

    /** {@code --forget-server}: the deliberate way to accept a registry's new key. */
    private int forget(String hostPort) throws java.io.IOException {
        InetSocketAddress a = parseHostPort(hostPort);
        String name = a.getHostString() + ":" + a.getPort();
        parley.core.tls.PinStore pins = new parley.core.tls.PinStore(parley.peer.core.RegistryTls.knownServers(data));
        if (pins.remove(name)) {
            System.out.println("forgot the key of " + name + "; the next connection pins the key it is shown");
        } else {
            System.out.println("no key stored for " + name + " in " + pins.file());
        }
        return 0;
    }

    static InetSocketAddress parseHostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new CommandLine.ParameterException(new CommandLine(new PeerMain()), "--server must be host:port, not " + s);
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1)));
    }

    private static String readPassword(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (Exception e) {
            System.err.println("parley peer: cannot read the password file " + file + ": " + e.getMessage());
            return null;
        }
    }
}
