package dev.litenet;

import dev.litenet.data.BadImage;
import dev.litenet.eval.ReliabilityChart;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@link EvaluationReport} as HTML: a pure function of the report. One page, its style inline, no script, no
 * address outside itself; the reliability diagram and the thumbnails are {@code data:} URIs, so the file can be
 * mailed, archived or opened offline. The confusion matrix is a table shaded by each cell's share of its row
 * (scikit-learn's normalization); past {@value #MAX_MATRIX} classes it is left out (the JSON of
 * {@code litenet eval --json} has it).
 */
final class ReportHtml {
    static final int MAX_MATRIX = 30;

    private ReportHtml() {}

    private static final String STYLE = """
            *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;background:#f4f6f9}
            main{max-width:1100px;margin:24px auto;padding:0 20px}h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}
            .sub{color:#6b7584;margin:0 0 16px}.tiles{display:flex;flex-wrap:wrap;gap:12px}
            .tile{background:#fff;border-radius:10px;padding:12px 16px;min-width:150px;box-shadow:0 1px 2px #0001}
            .tile b{display:block;font-size:22px}.tile span{color:#6b7584;font-size:13px}
            table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0001}th,td{padding:6px 10px;border:1px solid #e2e7ee;text-align:right}
            th{background:#f8f9fb;font-weight:600}td.l,th.l{text-align:left}.cm td{min-width:64px;text-align:center;font-variant-numeric:tabular-nums}
            .row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.chart{background:#fff;border-radius:10px;box-shadow:0 1px 2px #0001}
            .wrong{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:14px}
            .card{background:#fff;border-radius:10px;padding:10px;box-shadow:0 1px 2px #0001}
            .card .imgs{display:grid;grid-template-columns:repeat(3,1fr);gap:4px}.card img{width:100%;height:auto;border-radius:4px;display:block}
            .card .cap{display:grid;grid-template-columns:repeat(3,1fr);gap:4px;font-size:11px;color:#6b7584;margin-top:2px}
            .card p{margin:6px 0 0;font-size:13px;overflow-wrap:anywhere}.card .verdict{font-size:14px}
            .bad{color:#b3261e}.note{color:#6b7584;font-size:13px;max-width:900px}""";

    static String format(EvaluationReport r) {
        Evaluation e = r.evaluation();
        StringBuilder h = new StringBuilder(64 * 1024 + r.wrong().size() * 40_000);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(r.title())).append("</title><style>").append(STYLE).append("</style></head><body><main>\n");
        h.append("<h1>").append(esc(r.title())).append("</h1><p class=\"sub\">").append(esc(r.model())).append("</p>\n");
        summary(h, e, r.wrong().size());
        h.append("<h2>Confusion matrix</h2>\n");
        if (e.classes().size() <= MAX_MATRIX) confusion(h, e);
        else h.append("<p class=\"note\">").append(e.classes().size()).append(" classes: too many to draw; see <code>litenet eval --json</code>.</p>\n");
        h.append("<div class=\"row\"><div><h2>Per class</h2>\n");
        perClass(h, e);
        h.append("</div><div><h2>Calibration</h2>\n<img class=\"chart\" alt=\"reliability diagram\" width=\"520\" height=\"470\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(ReliabilityChart.png(e.calibration(), "Reliability diagram")))
                .append("\"><p class=\"note\">Bars: the share right among the photos whose predicted class got that probability; the dashed line is "
                        + "a classifier whose 90 % answers are right 90 % of the time.</p></div></div>\n");
        wrong(h, r.wrong(), e.n());
        skipped(h, e.skipped());
        h.append("<p class=\"note\">Heatmaps: Grad-CAM (Selvaraju et al. 2017) at the last convolutional block, brighter where the photo raised "
                        + "the class's score. They show where the network found evidence, at the block's coarse grid (one cell is 32×32 "
                        + "pixels of the input at 224), not why in a human sense. See docs/EXPLAIN.md. Made by LiteNet.</p>\n")
                .append("</main></body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, Evaluation e, int wrong) {
        h.append("<div class=\"tiles\">");
        tile(h, pct(e.accuracy()), "accuracy (" + e.correct() + " of " + e.n() + ")");
        for (int k = 2; k <= e.topK().length; k++) tile(h, pct(e.topK()[k - 1]), "top-" + k + " accuracy");
        tile(h, Integer.toString(wrong), "misclassified");
        tile(h, String.format(Locale.ROOT, "%.4f", e.loss()), "loss (cross-entropy)");
        tile(h, pct(e.calibration().ece()), "expected calibration error");
        if (!e.skipped().isEmpty()) tile(h, Integer.toString(e.skipped().size()), "unreadable, left out");
        h.append("</div>\n");
    }

    private static void tile(StringBuilder h, String value, String what) {
        h.append("<div class=\"tile\"><b>").append(esc(value)).append("</b><span>").append(esc(what)).append("</span></div>");
    }

    private static void confusion(StringBuilder h, Evaluation e) {
        List<String> c = e.classes();
        h.append("<table class=\"cm\"><tr><th class=\"l\">actual \\ predicted</th>");
        for (String name : c) h.append("<th>").append(esc(name)).append("</th>");
        h.append("</tr>\n");
        for (int i = 0; i < c.size(); i++) {
            int row = 0;
            for (int v : e.confusion()[i]) row += v;
            h.append("<tr><th class=\"l\">").append(esc(c.get(i))).append("</th>");
            for (int j = 0; j < c.size(); j++) {
                double share = row == 0 ? 0 : (double) e.confusion()[i][j] / row;
                int shade = (int) Math.round(255 - 200 * share);
                h.append(String.format(Locale.ROOT, "<td style=\"background:rgb(%d,%d,255);color:%s\">%d</td>",
                        shade, shade, share > 0.5 ? "#fff" : "#1d2430", e.confusion()[i][j]));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void perClass(StringBuilder h, Evaluation e) {
        h.append("<table><tr><th class=\"l\">class</th><th>photos</th><th>precision</th><th>recall</th></tr>\n");
        for (int i = 0; i < e.classes().size(); i++) {
            int n = 0;
            for (int v : e.confusion()[i]) n += v;
            h.append("<tr><td class=\"l\">").append(esc(e.classes().get(i))).append("</td><td>").append(n).append("</td><td>")
                    .append(pct(e.precision()[i])).append("</td><td>").append(pct(e.recall()[i])).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void wrong(StringBuilder h, List<EvaluationReport.Wrong> wrong, int n) {
        h.append("<h2>Misclassified, most confident first (").append(wrong.size()).append(" of ").append(n).append(")</h2>\n");
        if (wrong.isEmpty()) {
            h.append("<p class=\"note\">None.</p>\n");
            return;
        }
        h.append("<div class=\"wrong\">\n");
        for (EvaluationReport.Wrong w : wrong) {
            h.append("<div class=\"card\">");
            if (w.error() == null) {
                h.append("<div class=\"imgs\">").append(img(w.photo(), "photo")).append(img(w.whyPredicted(), "why " + w.predicted()))
                        .append(img(w.whyNotActual(), "why " + w.actual())).append("</div><div class=\"cap\"><span>photo</span><span>why ")
                        .append(esc(w.predicted())).append("</span><span>why ").append(esc(w.actual())).append("</span></div>");
            }
            h.append("<p class=\"verdict\"><b>").append(esc(w.actual())).append("</b> predicted <b>").append(esc(w.predicted()))
                    .append("</b> ").append(pct(w.probability()));
            if (!Double.isNaN(w.actualProbability())) h.append(" (").append(esc(w.actual())).append(" ").append(pct(w.actualProbability())).append(")");
            h.append("</p><p>").append(esc(w.file().toString())).append("</p>");
            if (w.error() != null) h.append("<p class=\"bad\">").append(esc(w.error())).append("</p>");
            h.append("</div>\n");
        }
        h.append("</div>\n");
    }

    private static void skipped(StringBuilder h, List<BadImage> skipped) {
        if (skipped.isEmpty()) return;
        h.append("<h2>Unreadable photos, left out (").append(skipped.size()).append(")</h2><ul>\n");
        for (BadImage b : skipped) h.append("<li>").append(esc(b.path() + ": " + b.reason())).append("</li>\n");
        h.append("</ul>\n");
    }

    private static String img(byte[] jpeg, String alt) {
        return "<img alt=\"" + esc(alt) + "\" width=\"" + EvaluationReport.THUMBNAIL + "\" height=\"" + EvaluationReport.THUMBNAIL
                + "\" src=\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg) + "\">";
    }

    private static String pct(double v) { return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f %%", 100 * v); }

    /** Text as HTML: the five special characters escaped, control characters shown as \\uXXXX. */
    static String esc(String s) {
        return BadInputException.printable(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
