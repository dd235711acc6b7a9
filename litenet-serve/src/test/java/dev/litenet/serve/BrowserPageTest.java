package dev.litenet.serve;

import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) opens it,
 * uploads a cat photo, and must see the right label drawn as the first bar; then the "why?" toggle must put the
 * Grad-CAM overlay in place of the photo, and take it away again. The screenshots go to
 * {@code target/serve-page.png} and {@code target/serve-page-why.png}, and with {@code -Dgolden.update=true} to
 * {@code docs/serve-page.png} and {@code docs/explain-page.png}. Without Chromium the test is skipped with the
 * reason, except in CI ({@code CI=true}), where it fails.
 */
class BrowserPageTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver"), CHROMIUM = Path.of("/usr/bin/chromium");

    @Test void uploadAPhotoSeeItsLabelsAndWhy() throws IOException {
        requireChromium();
        Path photo = Shared.path("data/cats-dogs/val/cat/cat.100.jpg").toRealPath();     // chromedriver wants a canonical path
        ImageClassifier net = ImageClassifier.pretrained(Shared.path(InferenceServerTest.WEIGHTS));
        Path profile = Files.createTempDirectory("litenet-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=760,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        try (InferenceServer server = InferenceServer.builder(net).port(0).start()) {
            WebDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + server.port() + "/");
                assertThat(browser.getTitle()).isEqualTo("LiteNet");
                browser.findElement(By.id("file")).sendKeys(photo.toString());
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                try {
                    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#top li"), 5));
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("no labels drawn; the page says: '" + browser.findElement(By.id("status")).getText() + "'", e);
                }
                List<WebElement> labels = browser.findElements(By.cssSelector("#top li .label"));
                assertThat(labels.getFirst().getText()).isEqualTo("tabby, tabby cat");
                assertThat(browser.findElement(By.cssSelector("#top li .prob")).getText()).matches("\\d+\\.\\d %");
                assertThat(browser.findElement(By.id("preview")).isDisplayed()).isTrue();
                wait.until(d -> !d.findElement(By.id("model")).getText().isEmpty());
                byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
                Files.createDirectories(Path.of("target"));
                Files.write(Path.of("target/serve-page.png"), png);
                if (Boolean.getBoolean("golden.update")) {                  // -Dgolden.update=true refreshes the docs' copy
                    Files.write(Path.of(System.getenv().getOrDefault("LITENET_REPO", "..")).resolve("docs/serve-page.png"), png);
                }

                WebElement why = browser.findElement(By.id("why"));
                assertThat(why.isDisplayed()).isTrue();
                why.click();
                try {
                    wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                            "const p = document.getElementById('preview');"
                                    + " return p.src.startsWith('blob:') && p.complete && p.naturalWidth === 448"
                                    + " && document.getElementById('why').getAttribute('aria-pressed') === 'true';")));
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("no overlay shown; the page says: '" + browser.findElement(By.id("status")).getText() + "'", e);
                }
                assertThat(browser.findElement(By.id("status")).getText()).startsWith("Grad-CAM");
                byte[] whyPng = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
                Files.write(Path.of("target/serve-page-why.png"), whyPng);
                if (Boolean.getBoolean("golden.update")) {
                    Files.write(Path.of(System.getenv().getOrDefault("LITENET_REPO", "..")).resolve("docs/explain-page.png"), whyPng);
                }
                why.click();                                                // and back to the photo
                wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "const p = document.getElementById('preview'); return p.complete && p.naturalWidth === 403"
                                + " && document.getElementById('why').getAttribute('aria-pressed') === 'false';")));
            } finally {
                browser.quit();
                service.stop();
            }
        }
    }

    /** Chromium and its driver, or a skip with the reason (a failure in CI, so that nothing passes by not running). */
    static void requireChromium() {
        if (Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM)) return;
        String why = "headless Chromium not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver";
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
        assumeTrue(false, why);
    }
}
