package org.borderwatch.bench;

import java.util.List;
import java.util.Locale;

/**
 * Grouped bar charts as plain SVG, side by side, with no library: each panel has categories along x (e.g. offered
 * load), one bar per series in each, the value written over every bar, and optional horizontal reference lines.
 */
final class SvgChart {

    /** One bar colour and name; {@code values} in category order. */
    record Series(String name, String color, double[] values) {
    }

    /** A dashed horizontal line at {@code value}, labelled. */
    record Line(String label, double value) {
    }

    /** One chart: its title, the y axis unit, the categories and the series. */
    record Panel(String title, String unit, List<String> categories, List<Series> series, List<Line> lines) {
    }

    private static final int PANEL_WIDTH = 440;
    private static final int HEIGHT = 340;
    private static final int LEFT = 70;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int RIGHT = 20;

    private SvgChart() {
    }

    static String render(String title, String note, List<Panel> panels) {
        int width = PANEL_WIDTH * panels.size();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, HEIGHT + 30, width,
                HEIGHT + 30));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width,
                HEIGHT + 30));
        svg.append(text(width / 2.0, 18, "middle", 14, "bold", title));
        svg.append(text(width / 2.0, HEIGHT + 22, "middle", 10, "normal", note));
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), i * PANEL_WIDTH);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Panel panel, int x0) {
        double max = 0;
        for (Series s : panel.series()) {
            for (double v : s.values()) {
                max = Math.max(max, v);
            }
        }
        for (Line line : panel.lines()) {
            max = Math.max(max, line.value());
        }
        max = niceCeiling(max * 1.1);
        int plotLeft = x0 + LEFT;
        int plotWidth = PANEL_WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int plotBottom = TOP + plotHeight;
        svg.append(text(x0 + PANEL_WIDTH / 2.0, 38, "middle", 12, "bold", panel.title()));
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            double y = plotBottom - plotHeight * tick / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#ddd\"/>%n", plotLeft, y, plotLeft + plotWidth, y));
            svg.append(text(plotLeft - 6, y + 4, "end", 10, "normal", format(value)));
        }
        svg.append(text(x0 + 14, TOP + plotHeight / 2.0, "middle", 10, "normal", panel.unit(), true));
        int categories = panel.categories().size();
        int seriesCount = panel.series().size();
        double groupWidth = plotWidth / (double) categories;
        double barWidth = groupWidth * 0.7 / seriesCount;
        for (int c = 0; c < categories; c++) {
            double groupLeft = plotLeft + c * groupWidth + groupWidth * 0.15;
            for (int s = 0; s < seriesCount; s++) {
                Series series = panel.series().get(s);
                double value = series.values()[c];
                double h = max == 0 ? 0 : plotHeight * value / max;
                double x = groupLeft + s * barWidth;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\"/>%n", x, plotBottom - h, barWidth - 2, h, series.color()));
                svg.append(text(x + barWidth / 2 - 1, plotBottom - h - 3, "middle", 9, "normal", format(value)));
            }
            svg.append(text(plotLeft + (c + 0.5) * groupWidth, plotBottom + 16, "middle", 11, "normal",
                    panel.categories().get(c)));
        }
        for (Line line : panel.lines()) {
            double y = plotBottom - plotHeight * line.value() / max;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#555\" "
                    + "stroke-dasharray=\"5,4\"/>%n", plotLeft, y, plotLeft + plotWidth, y));
            svg.append(text(plotLeft + plotWidth - 2, y - 3, "end", 9, "normal", line.label()));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                plotLeft, plotBottom, plotLeft + plotWidth, plotBottom));
        double legendX = plotLeft;
        for (Series series : panel.series()) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"10\" height=\"10\" "
                    + "fill=\"%s\"/>%n", legendX, plotBottom + 30, series.color()));
            svg.append(text(legendX + 14, plotBottom + 39, "start", 10, "normal", series.name()));
            legendX += 16 + 6.2 * series.name().length();
        }
    }

    private static String text(double x, double y, String anchor, int size, String weight, String content) {
        return text(x, y, anchor, size, weight, content, false);
    }

    private static String text(double x, double y, String anchor, int size, String weight, String content,
                               boolean vertical) {
        String rotate = vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : "";
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
                + "font-weight=\"%s\"%s>%s</text>%n", x, y, anchor, size, weight, rotate, escape(content));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** 12,345 as "12.3k", 850 as "850", 0.42 as "0.42". */
    static String format(double value) {
        if (value >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", value / 1000);
        }
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
