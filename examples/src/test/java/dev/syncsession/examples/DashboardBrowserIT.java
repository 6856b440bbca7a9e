/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.syncsession.jetty.SyncSessions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import dev.syncsession.jetty.cache.SessionCacheKind;

/**
 * A real browser against the running app: headless Chromium and chromedriver from Debian, driven by Selenium with
 * both paths given explicitly, so that nothing is downloaded (Selenium Manager never runs). Skipped, with the
 * install command, where Chromium is not installed.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A script that answers on how many lines the text in the element {@code arguments[0]} is laid out. */
    private static final String LINES_OF_TEXT = """
            const tops = new Set();
            const texts = document.createTreeWalker(arguments[0], NodeFilter.SHOW_TEXT);
            while (texts.nextNode()) {
              const range = document.createRange();
              range.selectNodeContents(texts.currentNode);
              for (const line of range.getClientRects()) tops.add(Math.round(line.top));
            }
            return tops.size;
            """;

    @Test
    void browserSignsInFillsTheCartReloadsAndSeesTheDashboard() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs headless Chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": apt-get install -y chromium chromium-driver");
        Path profile = Files.createTempDirectory("syncsession-chromium-");
        try (RunningExample app = RunningExample.start(SessionCacheKind.SYNCMAP,
                RunningExample.newSnapshotDir("browser"))) {
            WebDriver browser = startChromium(profile);
            try {
                browser.get(app.uri().toString());
                String anonymousId = browser.findElement(By.id("session-id")).getText();

                browser.findElement(By.id("name")).sendKeys("Ada");
                browser.findElement(By.cssSelector("#signin button")).click();
                waitFor(browser, driver -> !driver.findElements(By.id("user")).isEmpty());
                assertEquals("Ada", browser.findElement(By.id("user")).getText());
                assertFalse(anonymousId.equals(browser.findElement(By.id("session-id")).getText()),
                        "the page shows the id change at sign-in");

                browser.findElement(By.cssSelector("button[data-action='add-mug']")).click();
                waitFor(browser, driver -> !driver.findElements(By.cssSelector("tr[data-product='mug']")).isEmpty());
                browser.findElement(By.cssSelector("button[data-action='add-mug']")).click();
                waitFor(browser, driver -> quantityOfMugs(driver).equals("2"));

                browser.navigate().refresh();
                assertEquals("Ada", browser.findElement(By.id("user")).getText());
                assertEquals("2", quantityOfMugs(browser), "the cart is still there after a reload");
                Object cookies = ((JavascriptExecutor) browser).executeScript("return document.cookie");
                assertFalse(String.valueOf(cookies).contains(Visitor.SESSION_COOKIE),
                        "the session cookie is HttpOnly, invisible to scripts: " + cookies);

                // Ada signs in elsewhere too; "your sessions" lists both, this one marked, and signs out the other.
                try (Visitor elsewhere = new Visitor(app.uri())) {
                    elsewhere.get("/");
                    elsewhere.postAndFollow("/signin", "name", "Ada");
                    browser.findElement(By.id("your-sessions-link")).click();
                    waitFor(browser, driver -> !driver.findElements(By.id("sessions")).isEmpty());
                    assertEquals(2, browser.findElements(By.cssSelector("#sessions tbody tr")).size());
                    assertEquals(1, browser.findElements(By.cssSelector("#sessions tr.current")).size());
                    assertEquals(String.valueOf(SessionSetup.MAX_SESSIONS_PER_USER),
                            browser.findElement(By.id("per-user-limit")).getText());
                    // At 1280 px the times, the server and the "this one" marker each keep to one line.
                    for (String cell : List.of("signed-in", "last-used", "server", "marker")) {
                        assertEquals(1L, ((JavascriptExecutor) browser).executeScript(LINES_OF_TEXT,
                                browser.findElement(By.cssSelector("#sessions tr.current td." + cell))),
                                "lines of the current row's " + cell + " cell");
                    }
                    screenshot(browser, "sessions.png"); // docs/sessions.png: two sessions, this one marked
                    browser.findElement(By.cssSelector("#signout-others button")).click();
                    waitFor(browser, driver -> driver.findElements(By.cssSelector("#sessions tbody tr")).size() == 1);
                    assertEquals(1, browser.findElements(By.cssSelector("#sessions tr.current")).size());
                    assertEquals(null, new ShopPage(elsewhere.get("/").getContentAsString()).user(),
                            "signed out on the other device");
                }

                browser.get(app.uri().resolve("/stats").toString());
                waitFor(browser, driver -> "true".equals(driver.findElement(By.tagName("body"))
                        .getDomAttribute("data-loaded")));
                assertEquals("2", browser.findElement(By.id("live")).getText(), "the browser's and the other device's"
                        + " new one");
                assertEquals("3", browser.findElement(By.id("created")).getText(), "the browser's, the other"
                        + " device's, and the one the other device got after being signed out");
                assertFalse(browser.findElement(By.id("snapshot-age")).getText().isBlank());
                assertTrue(browser.findElement(By.id("config")).getText().contains("backend syncmap"));
                // At 1280 px the seven cards make one row, each value on one line, and the snapshot shows as its
                // file name, the full path in the tooltip.
                List<Integer> tops = browser.findElements(By.cssSelector(".cards .card")).stream()
                        .map(card -> card.getRect().getY()).distinct().toList();
                assertEquals(1, tops.size(), "the cards sit on rows at " + tops);
                for (WebElement value : browser.findElements(By.cssSelector(".cards .card .value"))) {
                    assertEquals(1L, ((JavascriptExecutor) browser).executeScript(LINES_OF_TEXT, value),
                            "lines of the card value \"" + value.getText() + "\"");
                }
                WebElement snapshotFile = browser.findElement(By.id("snapshot-file"));
                assertEquals(app.server().snapshot().getFileName().toString(), snapshotFile.getText());
                assertEquals(app.server().snapshot().toString(), snapshotFile.getDomProperty("title"));
                assertFalse(browser.findElements(By.cssSelector("#chart polyline")).isEmpty(), "the chart is drawn");

                screenshot(browser, "dashboard.png"); // docs/dashboard.png
            } finally {
                browser.quit();
            }
        } finally {
            deleteRecursively(profile);
        }
    }

    /**
     * Saves what the browser shows as {@code name} in {@code example.screenshot.dir} (the module's target): the
     * pictures in docs/ are these, copied by the command in README's "The example app".
     */
    private static void screenshot(WebDriver browser, String name) throws IOException {
        Path screenshot = Path.of(System.getProperty("example.screenshot.dir", "target"), name);
        Files.createDirectories(screenshot.getParent());
        File taken = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(taken.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(screenshot) > 10_000, "a real picture: " + screenshot);
    }

    private static WebDriver startChromium(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }

    private static String quantityOfMugs(WebDriver driver) {
        return driver.findElement(By.cssSelector("tr[data-product='mug'] .quantity")).getText();
    }

    /**
     * Waits for a condition on the page. Every button here posts a form and is answered by a redirect, so a
     * condition may read an element of the page being replaced: such a read is retried rather than failed.
     */
    private static void waitFor(WebDriver browser, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
