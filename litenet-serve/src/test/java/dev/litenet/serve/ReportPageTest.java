package dev.litenet.serve;

import dev.litenet.Evaluation;
import dev.litenet.EvaluationReport;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.models.Pretrained;
import dev.litenet.models.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluation report ({@code litenet eval --report}) opened from disk in headless Chromium with the network
 * off: every picture decodes (they are inline), nothing points outside the file, a card per mistake. The run is
 * Google's ImageNet backbone with a fresh two-class head, evaluated on class folders labelled the wrong way round,
 * so there are mistakes to show. The screenshot goes to {@code target/eval-report.png}.
 */
class ReportPageTest {
    @TempDir Path tmp;

    @Test void theReportOpensOfflineWithEveryPicture() throws IOException {
        BrowserPageTest.requireChromium();
        Path run = tmp.resolve("run");
        Model pre = Pretrained.load(Shared.quantWeights());
        Network net = pre.network();
        net.replaceHead(2, 0);
        RunFolder.save(run, new Model(net, List.of("cat", "dog"), pre.preprocess(), pre.origin(), pre.sha256(), List.of()));
        Path data = tmp.resolve("swapped");
        for (String[] pair : new String[][] {{"cat", "dog"}, {"dog", "cat"}}) {
            Path to = Files.createDirectories(data.resolve(pair[1]));
            try (Stream<Path> s = Files.list(Shared.path("data/cats-dogs/val/" + pair[0]))) {
                for (Path p : s.sorted().limit(2).toList()) Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        ImageClassifier classifier = ImageClassifier.load(run);
        Evaluation e = classifier.evaluate(data);
        assertThat(e.misclassified()).isNotEmpty();
        Path html = Files.writeString(tmp.resolve("report.html"), EvaluationReport.of(classifier, e, "swapped folders", p -> {}).html());

        Path profile = Files.createTempDirectory("litenet-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(BrowserPageTest.CHROMIUM.toFile()).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1200,1400", "--user-data-dir=" + profile,
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>");     // nothing outside the file can load
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(BrowserPageTest.CHROMEDRIVER.toFile()).build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(html.toUri().toString());
            assertThat(browser.getTitle()).isEqualTo("swapped folders");
            JavascriptExecutor js = (JavascriptExecutor) browser;
            Object broken = js.executeScript("return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length;");
            Object images = js.executeScript("return document.images.length;");
            Object outside = js.executeScript("return Array.from(document.querySelectorAll('[src],[href]'))"
                    + ".filter(x => !/^data:/.test(x.getAttribute('src') || x.getAttribute('href'))).length;");
            assertThat(broken).isEqualTo(0L);
            assertThat(images).isEqualTo(1L + 3L * e.misclassified().size());
            assertThat(outside).isEqualTo(0L);
            assertThat(browser.findElements(By.cssSelector(".card"))).hasSize(e.misclassified().size());
            assertThat(browser.findElement(By.cssSelector("table.cm")).getText()).contains("cat").contains("dog");
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target/eval-report.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
            service.stop();
        }
    }
}
