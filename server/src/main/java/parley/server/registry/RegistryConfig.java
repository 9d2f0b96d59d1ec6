package parley.server.registry;

import java.util.concurrent.TimeUnit;

/** Tunables of the registry; the defaults are what `./parley server` runs with. */
public final class RegistryConfig {
    public int maxConnections = 20_000;
    /**
     * Connections one source address may hold before they log in; 0 means no cap. Well above
     * what one host of honest clients opens at once, far below {@link #maxConnections}.
     */
    public int maxUnauthenticatedPerAddress = 16;
    public long sessionTimeoutNanos = TimeUnit.SECONDS.toNanos(15);
    /** A connection that has not logged in within this time is closed. */
    public long loginTimeoutNanos = TimeUnit.SECONDS.toNanos(30);
    public int maxPendingRequests = 50;
    /** Sustained requests per second one session may make, and the burst above it. */
    public int requestsPerSecond = 200;
    public int requestBurst = 400;
    /** Refused requests within {@link #abuseWindowNanos} that close the session for abuse. */
    public int abuseLimit = 200;
    public long abuseWindowNanos = TimeUnit.SECONDS.toNanos(10);
    public long inviteTimeoutNanos = TimeUnit.SECONDS.toNanos(60);
    public int maxInvitesPerUser = 16;
    public int maxFrameLength = 64 * 1024;
    /** PBKDF2 iterations a registration must use at least, and may use at most. */
    public int minIterations = 4096;
    public int maxIterations = 1_000_000;
    /** Entries in WHO and SEARCH answers are capped so that an answer always fits one frame. */
    public int maxListEntries = 500;
}
