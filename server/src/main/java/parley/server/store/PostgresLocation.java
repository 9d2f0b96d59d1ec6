package parley.server.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a PostgreSQL store lives, from the operator's {@code --store} value:
 * {@code postgresql://user[:password]@host[:port]/database[?driver-parameters]} (the libpq URI
 * form; {@code postgres://} too). The query, if any, goes to the JDBC driver as it is
 * ({@code sslmode=verify-full}, say). A password in the URI shows in the process list: prefer the
 * {@code PGPASSWORD} environment variable, read when the URI has none.
 *
 * @param jdbcUrl  the driver's URL, without user or password
 * @param user     the role to connect as
 * @param password the password, or null for none (trust or peer authentication)
 * @param display  the location without its password, for logs
 */
public record PostgresLocation(String jdbcUrl, String user, String password, String display) {
    public static final int DEFAULT_PORT = 5432;
    private static final String[] SCHEMES = {"postgresql", "postgres"};

    /** True when {@code spec} names a PostgreSQL store (by its scheme). */
    public static boolean isPostgres(String spec) {
        for (String scheme : SCHEMES) {
            if (spec.regionMatches(true, 0, scheme + "://", 0, scheme.length() + 3)) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code spec}; {@code envPassword} is used when the URI carries no password (may be null). */
    public static PostgresLocation parse(String spec, String envPassword) {
        if (!isPostgres(spec)) {
            throw new IllegalArgumentException("not a postgresql:// URI");
        }
        URI uri;
        try {
            uri = new URI(spec);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad PostgreSQL URI: " + e.getReason());
        }
        String host = uri.getHost();
        String path = uri.getRawPath();
        if (host == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException("a PostgreSQL URI needs a host and a database: postgresql://user@host:port/db");
        }
        String database = decode(path.substring(1));
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = null;
        String password = envPassword;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                password = decode(info.substring(colon + 1));
            }
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("a PostgreSQL URI needs a user: postgresql://user@host:port/db");
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String base = "jdbc:postgresql://" + hostPart + ":" + port + "/" + database;
        String jdbc = uri.getRawQuery() == null ? base : base + "?" + uri.getRawQuery();
        String display = "postgresql://" + user + "@" + hostPart + ":" + port + "/" + database;
        return new PostgresLocation(jdbc, user, password, display);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return display; // never the password
    }
}
