package dev.roster.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its own chromedriver: both paths are given explicitly, so Selenium
 * Manager never looks for (or downloads) a browser or a driver. One per test class; every page it opens is checked
 * for Content-Security-Policy violations and script errors, which the browser reports on its console.
 */
public final class Browser implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    public static final int DESKTOP_WIDTH = 1280;
    public static final int DESKTOP_HEIGHT = 900;
    private static final int MAX_SCREENSHOT_HEIGHT = 5000;

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final List<String> problems = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String baseUrl;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    public static Browser start() {
        try {
            Path profile = Files.createTempDirectory("roster-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(ChromiumAvailable.CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "--window-size=" + DESKTOP_WIDTH + "," + DESKTOP_HEIGHT);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(ChromiumAvailable.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(driver, service, profile);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Browser at(String baseUrl) {
        this.baseUrl = baseUrl;
        return this;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public String baseUrl() {
        return baseUrl;
    }

    // --- navigating

    public Browser open(String path) {
        driver.get(path.startsWith("http") ? path : baseUrl + path);
        collectConsole();
        return this;
    }

    /** The path (and query) of the page the browser shows. */
    public String path() {
        URI uri = URI.create(driver.getCurrentUrl());
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    public String title() {
        return driver.getTitle();
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public boolean exists(String css) {
        return !findAll(css).isEmpty();
    }

    public String text(String css) {
        return find(css).getText();
    }

    /** The visible text of the page's main content. */
    public String mainText() {
        return text("main");
    }

    public Browser type(String css, String value) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(value);
        return this;
    }

    public Browser click(String css) {
        WebElement target = find(css);
        markBeforeClick();
        target.click();
        collectConsole();
        return this;
    }

    /** Clicks an element found otherwise, marking the page first like {@link #click(String)}. */
    public Browser click(WebElement target) {
        markBeforeClick();
        target.click();
        collectConsole();
        return this;
    }

    /** Clicks the button or link whose visible text is exactly {@code text}, inside {@code within}. */
    public Browser clickText(String within, String text) {
        WebElement target = findAll(within + " button, " + within + " a").stream()
                .filter(e -> e.getText().trim().equals(text) && e.isDisplayed()).findFirst()
                .orElseThrow(() -> new AssertionError("no visible button or link '" + text + "' in " + within
                        + " on " + path()));
        markBeforeClick();
        target.click();
        collectConsole();
        return this;
    }

    public <T> T waitUntil(ExpectedCondition<T> condition) {
        // htmx swaps parts of the page while a condition looks at them: a stale element just means "look again".
        T result = new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(condition);
        collectConsole();
        return result;
    }

    /** Waits until the element has left the page: a navigation or an htmx swap replaced it. */
    public void waitUntilGone(WebElement element) {
        waitUntil(d -> {
            try {
                element.isEnabled();
                return false;
            }
            catch (StaleElementReferenceException ex) {
                return true;
            }
            catch (WebDriverException ex) {
                // Chromium's driver answers so, instead of "stale element", for a node of a document being replaced.
                if (ex.getMessage() != null && ex.getMessage().contains("does not belong to the document")) {
                    return true;
                }
                throw ex;
            }
        });
    }

    /**
     * Waits for the notice the last {@link #click} or {@link #clickText} led to and returns its text. A notice that
     * was on the page before the click does not count: the click may not have reached the server yet.
     */
    public String awaitNotice() {
        return waitUntil(d -> findAll("p.notice:not([data-seen])").stream().findFirst().map(WebElement::getText)
                .orElse(null));
    }

    /** Like {@link #awaitNotice()}, for an action that ends with a notice or an alert. */
    public String awaitNoticeOrAlert() {
        return waitUntil(d -> findAll("p.notice:not([data-seen]), p.alert:not([data-seen])").stream().findFirst()
                .map(WebElement::getText).orElse(null));
    }

    /**
     * Marks what is on the page before a click, so that waits look for what the click led to: the notices and alerts
     * already shown, and the document itself (a page load replaces the window and forgets the mark).
     */
    private void markBeforeClick() {
        script("window.rosterClicked = true;"
                + " document.querySelectorAll('p.notice, p.alert').forEach(n => n.dataset.seen = '')");
    }

    /**
     * Waits for a full page load at a path starting with {@code prefix}; after a {@link #click} or
     * {@link #clickText}, the page loaded after it (the page clicked on may itself start with the prefix).
     */
    public Browser waitForPath(String prefix) {
        waitUntil(d -> path().startsWith(prefix) && Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return document.readyState === 'complete' && window.rosterClicked !== true")));
        return this;
    }

    /** The elements that stick out past the window's right edge (none on a page that fits a phone), described. */
    @SuppressWarnings("unchecked")
    public List<String> widerThanWindow() {
        return (List<String>) script("""
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 0.5)
                    // inside a container that scrolls sideways (the tabs on a phone) it widens nothing
                    .filter(e => ![...document.querySelectorAll('body *')].some(c => c !== e && c.contains(e)
                        && ['auto', 'scroll'].includes(getComputedStyle(c).overflowX)))
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className + ' right='
                        + Math.round(e.getBoundingClientRect().right) + ' of ' + width)
                    .slice(0, 10);""");
    }

    public Browser resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        return this;
    }

    public Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    // --- signing in

    /** Signs in with a password and lands where the sign-in leads (the home page, or the page that sent there). */
    public Browser signIn(String email, String password) {
        open("/login");
        type("#email", email).type("#password", password);
        find("form[action='/login'] button[type=submit]").click();
        waitUntil(d -> !path().equals("/login"));
        return this;
    }

    /** Signs in with a password and then the code an authenticator app would show for {@code secret}. */
    public Browser signIn(String email, String password, String secret, Clock clock) {
        signIn(email, password);
        assertThat(path()).isEqualTo("/login/two-factor");
        type("#code", TestTwoFactor.code(secret, clock));
        find("form[action='/login/two-factor'] button[type=submit]").click();
        waitUntil(d -> !path().startsWith("/login"));
        return this;
    }

    public Browser signOut() {
        driver.manage().deleteAllCookies();
        return this;
    }

    // --- fetching with the browser's session, for downloads

    public record Fetched(int status, String contentType, String contentDisposition, String body) {
    }

    /** Fetches a path with this browser's session cookie, as clicking a download link would. */
    public Fetched fetch(String path) {
        String cookies = driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Cookie", cookies)
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Fetched(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Content-Disposition").orElse(""), response.body());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    // --- screenshots

    /** The whole page (beyond the window's height), as target/ui-screenshots/{name}.png. */
    public Path screenshot(String name) {
        collectConsole();
        // The page's full size, and at least the window's width: headless Chromium draws its scroll bar over the
        // page, so the window is as wide as the page's layout.
        @SuppressWarnings("unchecked")
        List<Number> size = (List<Number>) driver.executeScript("return [Math.max(document.documentElement"
                + ".scrollWidth, window.innerWidth), document.documentElement.scrollHeight]");
        double width = size.get(0).doubleValue();
        double height = Math.min(size.get(1).doubleValue(), MAX_SCREENSHOT_HEIGHT);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        return save(name, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** Only what the window shows: for dialogs and open menus, which sit over the page. */
    public Path screenshotWindow(String name) {
        collectConsole();
        return save(name, driver.getScreenshotAs(OutputType.BYTES));
    }

    private static Path save(String name, byte[] png) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, png);
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // --- console: CSP violations and script errors

    /** Reads what the browser logged since the last read; keeps Content-Security-Policy reports and script errors. */
    public void collectConsole() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            String message = entry.getMessage();
            if (message.contains("Content Security Policy") || message.contains("Content-Security-Policy")
                    || message.contains("Uncaught") || message.contains("htmx")) {
                problems.add(entry.getLevel() + " " + message);
            }
        }
    }

    /** Fails when any page opened so far broke the Content-Security-Policy or threw a script error. */
    public void assertCleanConsole() {
        collectConsole();
        List<String> found = List.copyOf(problems);
        problems.clear();
        assertThat(found).as("CSP violations and script errors on the browser console").isEmpty();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        }
        finally {
            service.close();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ignored) {
            // A leftover temporary profile is harmless; the next run makes a new one.
        }
    }
}
