package dev.roster.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.BrowserTest;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;

/**
 * The browser enforces Roster's Content-Security-Policy, and the console check that every browser test ends with
 * notices when a page breaks it: otherwise "no violations" would prove nothing.
 */
@RosterIntegrationTest
class ContentSecurityPolicyBrowserTest extends BrowserTest {

    @Autowired
    TestData data;

    @Test
    void anInlineStyleOrScriptIsRefusedAndReported() {
        TestData.Org org = data.org();
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/members");

        browser.script("document.body.insertAdjacentHTML('beforeend', "
                + "'<p id=\"styled\" style=\"color: rgb(255, 0, 0)\">styled</p>')");
        browser.script("const s = document.createElement('script'); s.textContent = 'window.inlineRan = true';"
                + "document.body.append(s);");

        assertThat(browser.script("return getComputedStyle(document.getElementById('styled')).color"))
                .isNotEqualTo("rgb(255, 0, 0)");
        assertThat(browser.script("return window.inlineRan === true")).isEqualTo(false);
        assertThatThrownBy(browser::assertCleanConsole).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Content Security Policy");
        // The check has reported and forgotten them, so this test ends clean.
        browser.assertCleanConsole();
    }
}
