package parley.bench.load;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Latency by percentile, drawn as HdrHistogram's plotter draws it: the x axis is 1/(1-p) on a log
 * scale, so 90%, 99%, 99.9% ... are evenly spaced and the tail gets the room it deserves. Several
 * series overlay in one picture, with a legend. Plain Java2D, written as PNG.
 */
public final class HistogramChart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final String[] TICKS = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private HistogramChart() {
    }

    public static void write(String title, List<Series> series, Path png) throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxDecades = 6;
        double maxY = 1;
        for (Series s : series) {
            for (double[] p : s.points) {
                maxY = Math.max(maxY, p[1]);
            }
        }
        maxY = niceCeiling(maxY * 1.05);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // Grid and axes.
        g.setColor(new Color(0xdddddd));
        for (int d = 0; d <= maxDecades; d++) {
            int x = LEFT + (int) (plotW * d / maxDecades);
            g.drawLine(x, TOP, x, TOP + plotH);
        }
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH - plotH * i / 5;
            g.drawLine(LEFT, y, LEFT + plotW, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (int d = 0; d <= maxDecades; d++) {
            int x = LEFT + (int) (plotW * d / maxDecades);
            String t = TICKS[d];
            g.drawString(t, x - g.getFontMetrics().stringWidth(t) / 2, TOP + plotH + 18);
        }
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH - plotH * i / 5;
            String t = format(maxY * i / 5);
            g.drawString(t, LEFT - 8 - g.getFontMetrics().stringWidth(t), y + 4);
        }
        g.drawString("percentile", LEFT + plotW / 2 - 30, HEIGHT - 25);
        Graphics2D v = (Graphics2D) g.create();
        v.rotate(-Math.PI / 2);
        v.drawString("latency (µs)", -(TOP + plotH / 2 + 35), 20);
        v.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // Series.
        g.setStroke(new BasicStroke(2f));
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(COLORS[si % COLORS.length]);
            int px = -1;
            int py = -1;
            for (double[] p : s.points) {
                double pct = Math.min(p[0], 99.9999);
                double decades = Math.log10(1.0 / (1.0 - pct / 100.0));
                int x = LEFT + (int) (plotW * Math.min(decades, maxDecades) / maxDecades);
                int y = TOP + plotH - (int) (plotH * p[1] / maxY);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int ly = TOP + 20 + si * 18;
            g.drawLine(LEFT + 15, ly - 4, LEFT + 40, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name, LEFT + 46, ly);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static double niceCeiling(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * mag >= v) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    private static String format(double v) {
        return v >= 100 ? String.format("%,.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }
}
