package org.sciaticahep.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sciaticahep.stack.StackTestResource;

/**
 * The clinician dashboard in a real headless browser (Debian's chromium): the queue, acknowledge and resolve by
 * clicking, the patient page's charts, and a resolve note holding a script tag shown as text. Screenshots are
 * saved in target/screenshots/.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class DashboardBrowserTest extends PipelineTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** Installed by ./test.sh from npm (the tests run in the module's directory). */
    static final Path AXE = Path.of("../.test-tools/node_modules/axe-core/axe.min.js");

    @TestHTTPResource("/")
    URL dashboard;

    ChromeDriver browser;

    @BeforeEach
    void open() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromedriver are needed: run ./test.sh, which installs Debian's chromium and chromium-driver");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void clinicianSignsInAcknowledgesResolvesAndSeesOnlyTheirPatients() throws Exception {
        Clinic p = Clinic.patient("browser", "Europe/Berlin", 6).enroll("c-030");
        p.post(List.of(
                p.pain(0, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN"),
                p.pain(1, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN"),
                p.pain(2, 8, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"),
                p.pain(4, 8, 0, 8, "LOWER_BACK", "LEFT", "CHECK_IN"),
                p.exercise(3, 9, "pelvic-tilt", null, 1, 10),
                p.exercise(4, 9, "knee-to-chest", "BOTH", 1, 3))).awaitApplied(db);
        Clinic someoneElses = Clinic.patient("elsewhere", "Europe/Berlin", 2).enroll("c-031");
        someoneElses.post(List.of(someoneElses.pain(0, 8, 0, 9, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);

        // no token: the sign-in page; a patient's token or a forged one does not get in
        browser.get(dashboard.toString());
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        signIn(StackTestResource.tokens().patient(p.patientId));
        assertTrue(browser.findElement(By.id("login-error")).getText().contains("clinician"));
        signIn(StackTestResource.tokens().clinician("c-030") + "x");
        assertTrue(browser.findElement(By.id("login-error")).getText().contains("not valid"));
        screenshot("dashboard-login.png");
        signIn(StackTestResource.tokens().clinician("c-030"));
        assertEquals("c-030", browser.findElement(By.id("clinician")).getText());

        WebElement row = flagRow(p.patientId);
        assertTrue(row.getText().contains("SEVERE_PAIN"), row.getText());
        assertTrue(browser.findElements(By.cssSelector("tr.flag, #patients td")).stream()
                .noneMatch(r -> r.getText().contains(someoneElses.patientId)), "another clinician's patient is not shown");
        screenshot("dashboard-queue.png");

        row.findElement(By.cssSelector("form[action$='/acknowledge'] input[name=note]")).sendKeys("Called, appointment Tuesday");
        row.findElement(By.cssSelector("button.acknowledge")).click();
        await(() -> flagRow(p.patientId).findElement(By.className("status")).getText().startsWith("ACKNOWLEDGED by c-030"));

        String note = "<script>alert('x')</script> called the patient";
        row = flagRow(p.patientId);
        row.findElement(By.cssSelector("form[action$='/resolve'] input[name=note]")).sendKeys(note);
        row.findElement(By.cssSelector("button.resolve")).click();
        // a resolved flag leaves the queue
        await(() -> browser.findElements(By.cssSelector("tr.flag")).stream().noneMatch(r -> r.getText().contains(p.patientId)));

        browser.get(dashboard + "dashboard/patients/" + p.patientId);
        Files.writeString(SCREENSHOTS.resolve("dashboard-patient.html"), browser.getPageSource());
        assertEquals(note, browser.findElement(By.cssSelector("#flags td.note")).getText(), "the note is shown as text");
        assertEquals("Called, appointment Tuesday", browser.findElement(By.cssSelector("#flags td.acknowledgement-note")).getText());
        assertFalse(browser.getPageSource().contains("<script>alert"), "the note is escaped in the page");
        assertEquals(7, browser.findElements(By.cssSelector("#adherence-chart rect")).size(), "a bar per day 0..6");
        assertTrue(browser.findElement(By.cssSelector("#pain-chart #resting-line")).getAttribute("d").startsWith("M"));
        assertEquals(4, browser.findElements(By.cssSelector("#pain-chart circle.resting")).size(), "a resting point per day with one");
        assertEquals(0, browser.findElements(By.cssSelector("#pain-chart circle.exercise")).size(), "no score with exercise");
        assertEquals(1, browser.findElements(By.cssSelector("#pain-chart #baseline")).size(), "baseline marked");
        assertTrue(browser.findElement(By.cssSelector("#pain-chart #baseline-label")).getText().startsWith("baseline 4.3"));
        List<String> dates = browser.findElements(By.cssSelector("#pain-chart text.date")).stream().map(WebElement::getText).toList();
        assertEquals(5, dates.size(), "dated x axis: " + dates);
        assertEquals(java.time.LocalDate.now(p.zone).toString(), dates.get(4), "ending today");
        assertEquals(4, browser.findElements(By.cssSelector("#pain-table tr")).size() - 1, "the numbers as a table");
        assertEquals(p.startDate.plusDays(3).toString(), browser.findElement(By.cssSelector("#exercise-pelvic-tilt td:nth-child(4)")).getText(),
                "the per-exercise table: pelvic tilt last done on day 3");
        assertEquals(p.startDate.plusDays(4).toString(), browser.findElement(By.cssSelector("#exercise-knee-to-chest td:nth-child(4)")).getText());

        // the charts' range: 12 weeks back, or all of care (from the start date)
        browser.findElement(By.linkText("last 12 weeks")).click();
        await(() -> browser.getCurrentUrl().endsWith("?range=84"));
        List<String> weeks = browser.findElements(By.cssSelector("#pain-chart text.date")).stream().map(WebElement::getText).toList();
        assertEquals(java.time.LocalDate.now(p.zone).minusDays(83).toString(), weeks.get(0), "12 weeks back: " + weeks);
        browser.get(dashboard + "dashboard/patients/" + p.patientId + "?range=all");
        List<String> care = browser.findElements(By.cssSelector("#pain-chart text.date")).stream().map(WebElement::getText).toList();
        assertEquals(p.startDate.toString(), care.get(0), "all of care starts on its first day: " + care);
        assertEquals("all of care", browser.findElement(By.cssSelector("#chart-range strong")).getText());
        screenshot("dashboard-patient.png");

        browser.get(dashboard + "dashboard/patients/" + someoneElses.patientId);
        assertFalse(browser.getPageSource().contains("pain-chart"), "another clinician's patient page is refused");

        browser.get(dashboard.toString());
        browser.findElement(By.cssSelector("#sign-out button")).click();
        await(() -> browser.getCurrentUrl().endsWith("/login"));
        browser.get(dashboard.toString());
        assertTrue(browser.getCurrentUrl().endsWith("/login"), "signed out stays out");
    }

    /**
     * The article's rule on the patient page: on an exercise-worsens-pain flag the clinician clicks "Pause this
     * exercise" (paused from today at session-service, the flag acknowledged saying so), then raises another
     * exercise's dosage from today; a stale version is refused with a page that says so, and nothing changes.
     */
    @Test
    void clinicianPausesTheExerciseThatHurtAndChangesADosage() throws Exception {
        Clinic p = Clinic.patient("prescribe", "Europe/Berlin", 2).enroll("c-032");
        p.post(List.of(p.pain(0, 8, 0, 2, "BUTTOCK", "LEFT", "CHECK_IN"),
                Clinic.with(p.pain(0, 9, 30, 6, "BUTTOCK", "LEFT", "AFTER_EXERCISE"), "exerciseId", "glute-bridge"))).awaitApplied(db);
        signIn(StackTestResource.tokens().clinician("c-032"));
        browser.get(dashboard + "dashboard/patients/" + p.patientId);
        assertEquals("ACTIVE", browser.findElement(By.cssSelector("#item-glute-bridge td.status")).getText());
        // how each dosage would build up, by the catalog's progression (the article's)
        assertEquals("next step: 1 × 10–10", browser.findElement(By.cssSelector("#item-glute-bridge .next-step")).getText());
        assertEquals("next step: 1 × 12–12", browser.findElement(By.cssSelector("#item-pelvic-tilt .next-step")).getText());
        assertEquals("next step: 1 × 3–3, hold 5–30 s", browser.findElement(By.cssSelector("#item-knee-to-chest .next-step")).getText());
        screenshot("dashboard-prescription.png");

        String page = dashboard + "dashboard/patients/" + p.patientId;
        browser.findElement(By.cssSelector("#flags button.pause-exercise")).click();
        // the version reaches this page through Kafka, as every change does
        reloadUntil(page, () -> browser.findElement(By.cssSelector("#item-glute-bridge td.status")).getText().equals("PAUSED"));
        assertEquals(0, browser.findElements(By.cssSelector("#item-glute-bridge .next-step")).size(), "no next step for a paused exercise");
        assertTrue(browser.findElement(By.cssSelector("#flags td.acknowledgement-note")).getText().startsWith("Paused glute-bridge from "),
                "the flag is acknowledged with what was done");
        assertTrue(browser.findElements(By.cssSelector("#flags button.pause-exercise")).isEmpty(), "paused: no button any more");
        assertTrue(browser.findElement(By.id("prescription-version")).getText().startsWith("Version 2"));

        WebElement tilt = browser.findElement(By.cssSelector("#item-pelvic-tilt form.dosage"));
        tilt.findElement(By.name("sets")).clear();
        tilt.findElement(By.name("sets")).sendKeys("2");
        tilt.findElement(By.cssSelector("button")).click();
        reloadUntil(page, () -> browser.findElement(By.id("prescription-version")).getText().startsWith("Version 3"));
        assertTrue(browser.findElements(By.cssSelector("#item-pelvic-tilt td")).get(1).getText().startsWith("2 × "),
                browser.findElements(By.cssSelector("#item-pelvic-tilt td")).get(1).getText());
        screenshot("dashboard-prescription-changed.png");

        // a form from a page two versions old: session-service refuses it, the page says so, version 3 stays
        browser.get(page);
        browser.executeScript("document.querySelector('#item-childs-pose form.dosage input[name=expectedVersion]').value = '1'");
        browser.findElement(By.cssSelector("#item-childs-pose form.dosage button")).click();
        await(() -> !browser.findElements(By.id("problem")).isEmpty());
        screenshot("dashboard-prescription-refused.png");
        browser.get(page);
        assertTrue(browser.findElement(By.id("prescription-version")).getText().startsWith("Version 3"));
    }

    /**
     * Progression on the dashboard: the patient list marks the patient ready, the patient page says why and what the
     * step is, and one click writes it as the next version from tomorrow (the page then shows it scheduled).
     */
    @Test
    void clinicianAppliesASuggestedStepFromTomorrow() throws Exception {
        Clinic p = Clinic.patient("apply", "Europe/Berlin", 4).enroll("c-061");
        List<java.util.Map<String, Object>> done = new java.util.ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            done.add(Clinic.with(p.exercise(day, 9, "pelvic-tilt", null, 1, 10), "difficulty", 1));
        }
        p.post(done).awaitApplied(db);
        signIn(StackTestResource.tokens().clinician("c-061"));
        assertEquals("↑ pelvic-tilt 1 × 12–12", browser.findElement(By.cssSelector("#patients td.suggestions")).getText());

        String page = dashboard + "dashboard/patients/" + p.patientId;
        browser.get(page);
        WebElement suggestion = browser.findElement(By.cssSelector("#item-pelvic-tilt .suggestion"));
        assertTrue(suggestion.getText().startsWith("Ready to progress to 1 × 12–12"), suggestion.getText());
        assertTrue(suggestion.getText().contains("difficulty 1.0 of 5"), suggestion.getText());
        assertEquals(1, browser.findElements(By.cssSelector(".suggestion")).size(), "the others were not done");
        screenshot("dashboard-progression.png");
        String tomorrow = java.time.LocalDate.now(p.zone).plusDays(1).toString();
        suggestion.findElement(By.cssSelector("form.apply button")).click();
        reloadUntil(page, () -> browser.findElement(By.id("prescription-version")).getText()
                .startsWith("Version 2, scheduled from " + tomorrow));
        assertTrue(browser.findElements(By.cssSelector("#item-pelvic-tilt td")).get(1).getText().startsWith("1 × 12–12"));
        assertEquals("Progressed as suggested", browser.findElement(By.cssSelector("#item-pelvic-tilt td.note")).getText());
        assertEquals(0, browser.findElements(By.cssSelector(".suggestion")).size(), "decided: nothing more suggested");
    }

    private void reloadUntil(String page, Supplier<Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).pollingEvery(Duration.ofMillis(300)).ignoring(WebDriverException.class)
                .ignoring(NoSuchElementException.class).until(driver -> {
                    driver.get(page);
                    return condition.get();
                });
    }

    /**
     * Waits for the page a form post leads to; meanwhile elements of the page before it go stale, and a page still
     * loading may not hold the row looked for yet.
     */
    private void await(Supplier<Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(WebDriverException.class)
                .ignoring(NoSuchElementException.class)
                .until(driver -> condition.get());
    }

    /**
     * The queue filtered by severity and by status, several flags acknowledged at once with one note, a patient found
     * by the start of their id, ages shown as "… ago" with the exact time on hover; the pages pass an automated
     * accessibility check (axe-core: no serious or critical violation) and fit a tablet's 768 px.
     */
    @Test
    void clinicianFiltersTheQueueAcknowledgesSeveralAndFindsAPatient() throws Exception {
        Clinic a = Clinic.patient("filter-a", "Europe/Berlin", 3).enroll("c-filter");
        Clinic b = Clinic.patient("filter-b", "Europe/Berlin", 3).enroll("c-filter");
        a.post(List.of(Clinic.with(a.pain(1, 8, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags", List.of("LEG_WEAKNESS"))))
                .awaitApplied(db);
        b.post(List.of(b.pain(1, 8, 0, 8, "BUTTOCK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        signIn(StackTestResource.tokens().clinician("c-filter"));
        assertEquals(2, browser.findElements(By.cssSelector("tr.flag")).size());
        assertAccessible("the review queue and patient list");

        new Select(browser.findElement(By.id("severity"))).selectByVisibleText("CRITICAL");
        browser.findElement(By.cssSelector("#queue-filter button[type=submit]")).click();
        await(() -> browser.getCurrentUrl().contains("severity=CRITICAL"));
        List<WebElement> critical = browser.findElements(By.cssSelector("tr.flag"));
        assertEquals(1, critical.size());
        assertTrue(critical.get(0).getText().contains(a.patientId) && critical.get(0).getText().contains("RED_FLAG_SYMPTOMS"));
        WebElement raised = critical.get(0).findElement(By.tagName("time"));
        assertTrue(raised.getText().matches("just now|\\d+ min ago|\\d+ h ago"), raised.getText());
        assertTrue(raised.getAttribute("title").matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC"), raised.getAttribute("title"));
        browser.get(dashboard + "?severity=LOW");
        assertEquals("No flags match these filters.", browser.findElement(By.id("queue-empty")).getText());
        browser.findElement(By.id("queue-all")).click();
        await(() -> browser.findElements(By.cssSelector("tr.flag")).size() == 2);

        browser.findElements(By.cssSelector("tr.flag input[name=flagId]")).forEach(WebElement::click);
        browser.findElement(By.id("bulk-note")).sendKeys("Both called this morning");
        browser.findElement(By.id("acknowledge-selected")).click();
        await(() -> {
            List<WebElement> statuses = browser.findElements(By.cssSelector("tr.flag .status"));
            return statuses.size() == 2 && statuses.stream().allMatch(s -> s.getText().startsWith("ACKNOWLEDGED by c-filter"));
        });
        browser.get(dashboard + "?status=OPEN");
        assertEquals("No flags match these filters.", browser.findElement(By.id("queue-empty")).getText());
        browser.get(dashboard + "dashboard/patients/" + b.patientId);
        assertEquals("Both called this morning", browser.findElement(By.cssSelector("#flags td.acknowledgement-note")).getText());
        assertAccessible("the patient page");

        browser.get(dashboard.toString());
        browser.findElement(By.id("search")).sendKeys("filter-b");
        browser.findElement(By.cssSelector("#patient-search button")).click();
        await(() -> browser.getCurrentUrl().contains("search=filter-b"));
        List<String> found = browser.findElements(By.cssSelector("#patients tr td:first-child")).stream().map(WebElement::getText).toList();
        assertEquals(List.of(b.patientId), found);
        screenshot("dashboard-filtered-1400.png");

        // a tablet: nothing wider than the screen, the tables scroll within it
        browser.manage().window().setSize(new Dimension(768, 1024));
        for (String page : List.of(dashboard.toString(), dashboard + "dashboard/patients/" + a.patientId)) {
            browser.get(page);
            long width = ((Number) browser.executeScript("return document.documentElement.scrollWidth")).longValue();
            assertTrue(width <= 768, page + " is " + width + " px wide at 768 px");
        }
        screenshot("dashboard-patient-768.png");
        browser.get(dashboard.toString());
        screenshot("dashboard-queue-768.png");
    }

    /** axe-core run in the page: no serious or critical WCAG 2.1 A/AA violation. */
    private void assertAccessible(String what) throws Exception {
        assertTrue(Files.isReadable(AXE), "axe-core is needed: run ./test.sh, which installs it from npm into .test-tools/");
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.executeScript(Files.readString(AXE));
        Object violations = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                                   .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));""");
        assertEquals(List.of(), violations, what);
    }

    private void signIn(String token) {
        browser.get(dashboard + "login");
        browser.findElement(By.name("token")).sendKeys(token);
        WebElement button = browser.findElement(By.id("sign-in"));
        button.click();
        // the answer is a new page: the old button is gone (chromium says so as stale or as detached)
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> {
            try {
                button.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
    }

    private WebElement flagRow(String patientId) {
        return browser.findElements(By.cssSelector("tr.flag")).stream()
                .filter(r -> r.getText().contains(patientId)).findFirst().orElseThrow();
    }

    private void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
