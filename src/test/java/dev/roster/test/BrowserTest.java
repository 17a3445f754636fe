package dev.roster.test;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of the tests that drive a real browser. Subclasses carry {@link RosterIntegrationTest} like every other
 * integration test (one shared application context); this class gives each of them one Chromium, started before
 * its first test and quit after its last, signed out between tests, and checks after every test that no page broke
 * the Content-Security-Policy or threw a script error. Skipped where Chromium is not installed.
 */
@ExtendWith(ChromiumAvailable.class)
public abstract class BrowserTest {

    protected static Browser browser;

    @Autowired
    protected TestApi api;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @BeforeEach
    void freshSession() {
        browser.at(api.baseUrl());
        if (browser.driver().getCurrentUrl().startsWith("http")) {
            browser.signOut();
        }
        browser.resize(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT);
    }

    @AfterEach
    void consoleStayedClean() {
        browser.assertCleanConsole();
    }
}
