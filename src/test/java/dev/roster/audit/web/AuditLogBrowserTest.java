package dev.roster.audit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.membership.GrantSource;
import dev.roster.membership.MemberReads;
import dev.roster.membership.MembershipService;
import dev.roster.membership.Team;
import dev.roster.membership.TeamService;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.test.Browser;
import dev.roster.test.BrowserTest;
import dev.roster.test.MutableClock;
import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestData;
import dev.roster.test.TestSession;

/** Manage → Audit log in Chromium: each filter, paging, and the CSV download. */
@RosterIntegrationTest
class AuditLogBrowserTest extends BrowserTest {

    private static final Actor SCIM = Actor.directory("Okta SCIM (test)", Channel.SCIM);

    @Autowired
    TestData data;
    @Autowired
    TeamService teams;
    @Autowired
    MembershipService memberships;
    @Autowired
    MemberReads directory;
    @Autowired
    MutableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void theLogFiltersByActorChannelTargetActionAndTime() {
        TestData.Org org = data.org();
        TestData.Person member = data.member(org, false);
        Actor admin = Actor.account(org.admin().id(), org.admin().email(), Channel.UI);
        Team platform = teams.create(org.id(), "Platform", null, admin);
        var viaApi = api.post(org.admin().token(), org.api("/teams"), Map.of("name", "Data"));
        assertThat(viaApi.status()).isEqualTo(201);
        memberships.grantTeam(org.id(), directory.findByAccount(org.id(), member.id()).orElseThrow().id(),
                platform.id(), GrantSource.SCIM, SCIM);
        clock.advance(Duration.ofDays(3));
        teams.create(org.id(), "Later", null, admin);
        LocalDate later = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String page = "/orgs/" + org.slug() + "/manage/audit";

        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open(page);
        assertThat(actions()).startsWith("team.created", "team.member-added", "team.created", "team.created");
        browser.screenshot("audit-log");

        new Select(browser.find("#channel")).selectByVisibleText("SCIM");
        filter();
        assertThat(actions()).containsExactly("team.member-added");
        assertThat(browser.text("table.audit")).contains("Okta SCIM (test)", "Platform");
        assertThat(browser.path()).contains("channel=scim");

        new Select(browser.find("#channel")).selectByVisibleText("API");
        filter();
        assertThat(browser.text("table.audit")).contains("Data").doesNotContain("Platform");

        browser.open(page);
        browser.type("#target", "platform");
        browser.type("#action", "team.created");
        filter();
        assertThat(actions()).containsExactly("team.created");
        assertThat(browser.text("table.audit")).contains("Platform");

        browser.open(page);
        browser.type("#actor", org.admin().email().substring(0, 12));
        filter();
        assertThat(browser.text("table.audit")).doesNotContain("Okta SCIM");

        browser.open(page + "?from=" + later);
        assertThat(actions()).containsExactly("team.created");
        assertThat(browser.text("table.audit")).contains("Later");
        assertThat(browser.find("#from").getDomProperty("value")).isEqualTo(later.toString());

        // An end before the start is refused next to the field.
        browser.open(page + "?from=" + later + "&to=" + later.minusDays(2));
        assertThat(browser.text("#to-error")).isEqualTo("The end date is before the start date.");
        assertThat(browser.find("#to").getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("audit-log-invalid-dates");

        // Details open to show the state before and after.
        browser.open(page + "?action=team.member-added");
        browser.click("table.audit summary");
        assertThat(browser.text("table.audit pre")).contains("\"source\" : \"SCIM\"");
        browser.screenshot("audit-log-details");
    }

    @Test
    void theLogPagesFiftyAtATime() {
        TestData.Org org = data.org();
        Actor admin = Actor.account(org.admin().id(), org.admin().email(), Channel.UI);
        for (int i = 0; i < 60; i++) {
            teams.create(org.id(), "Team " + i, null, admin);
        }
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/audit?action=team.created");
        assertThat(browser.findAll("table.audit tbody tr")).hasSize(50);
        assertThat(browser.text(".pager")).contains("Showing 1–50 of 60 events");

        browser.clickText(".pager", "Next →");
        browser.waitUntil(d -> browser.path().contains("page=1"));
        assertThat(browser.findAll("table.audit tbody tr")).hasSize(10);
        assertThat(browser.text(".pager")).contains("Showing 51–60 of 60 events");
        assertThat(browser.text("table.audit")).contains("Team 9").contains("Team 0");
        assertThat(browser.path()).contains("action=team.created");
    }

    @Test
    void theCsvDownloadEscapesFieldsAndDefusesFormulas() {
        TestData.Org org = data.org();
        Actor admin = Actor.account(org.admin().id(), org.admin().email(), Channel.UI);
        List<String> names = List.of("=HYPERLINK(\"http://evil.example\",\"click\")", "+1", "-2", "@SUM(A1)",
                "Ops, \"core\"", "Night\nshift");
        for (String name : names) {
            teams.create(org.id(), name, "line one\nline two", admin);
        }
        browser.signIn(org.admin().email(), TestData.PASSWORD);
        browser.open("/orgs/" + org.slug() + "/manage/audit?action=team.created");
        WebElement download = browser.find("a[download]");
        String href = download.getDomAttribute("href");
        assertThat(href).isEqualTo("/orgs/" + org.slug() + "/manage/audit.csv?action=team.created");

        Browser.Fetched csv = browser.fetch(href);

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.contentDisposition()).startsWith("attachment").contains("audit-" + org.slug());
        List<List<String>> rows = parse(csv.body());
        assertThat(rows.get(0)).containsExactly("occurred_at", "actor", "actor_account_id", "channel", "action",
                "target_type", "target_id", "target_label", "before", "after");
        assertThat(rows).hasSize(1 + names.size()).allSatisfy(row -> assertThat(row).hasSize(10));
        List<String> labels = rows.subList(1, rows.size()).stream().map(row -> row.get(7)).toList();
        assertThat(labels).containsExactlyInAnyOrder("'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1", "'-2",
                "'@SUM(A1)", "Ops, \"core\"", "Night\nshift");
        assertThat(rows.get(1).get(9)).contains("line one\\nline two");
        assertThat(rows.get(1).get(1)).isEqualTo(org.admin().email());
        assertThat(csv.body()).contains("\"Night\nshift\"").contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"");

        // The export is the admins' only, like the page.
        TestData.Person member = data.member(org, false);
        TestSession session = new TestSession(api.baseUrl());
        session.signIn(member.email(), TestData.PASSWORD);
        assertThat(session.get(href).status()).isEqualTo(403);
    }

    /** Submits the filter form and waits for the page it loads. */
    private void filter() {
        WebElement old = browser.find("main");
        browser.clickText("form.filters", "Filter");
        browser.waitUntilGone(old);
        browser.waitForPath("/orgs/");
    }

    private List<String> actions() {
        return browser.findAll("table.audit tbody td[data-label=Action]").stream().map(WebElement::getText).toList();
    }

    /** RFC 4180, as a spreadsheet reads it. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                }
                else if (c == '"') {
                    quoted = false;
                }
                else {
                    field.append(c);
                }
            }
            else if (c == '"') {
                quoted = true;
            }
            else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            }
            else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            }
            else {
                field.append(c);
            }
        }
        return rows;
    }
}
