package parley.server;

import picocli.CommandLine;

import java.util.concurrent.TimeUnit;

/**
 * Reads {@code --mailbox-ttl}: a positive whole number with a unit, {@code d}, {@code h},
 * {@code m} or {@code s} ({@code 30d}, {@code 12h}), as milliseconds. Anything else is a usage
 * error naming the flag, not a silent default.
 */
final class MailboxTtl implements CommandLine.ITypeConverter<Long> {
    /** Ten years: beyond it a typo, not a policy. */
    private static final long MAX_DAYS = 3650;

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        String v = value.trim();
        if (v.length() < 2) {
            throw new CommandLine.TypeConversionException("--mailbox-ttl wants a number and a unit (d, h, m or s), e.g. 30d: " + value);
        }
        TimeUnit unit;
        switch (v.charAt(v.length() - 1)) {
            case 'd': unit = TimeUnit.DAYS; break;
            case 'h': unit = TimeUnit.HOURS; break;
            case 'm': unit = TimeUnit.MINUTES; break;
            case 's': unit = TimeUnit.SECONDS; break;
            default:
                throw new CommandLine.TypeConversionException("--mailbox-ttl unit must be d, h, m or s: " + value);
        }
        long n;
        try {
            n = Long.parseLong(v.substring(0, v.length() - 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("--mailbox-ttl wants a whole number before the unit: " + value);
        }
        if (n <= 0 || unit.toDays(n) > MAX_DAYS) {
            throw new CommandLine.TypeConversionException("--mailbox-ttl must be positive and at most ten years: " + value);
        }
        return unit.toMillis(n);
    }
}
