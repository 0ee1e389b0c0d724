import { test } from "./fixtures/test";

// The guard in fixtures/test.ts must turn these into failures; `test.fail()` passes only if they fail.

test("an uncaught error in the page fails the test", async ({ page }) => {
  test.fail();
  await page.setContent("<p>guard</p>");
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error("thrown by the page");
    });
  });
  await page.waitForTimeout(200);
});

test("a React hydration error logged to the console fails the test", async ({ page }) => {
  test.fail();
  await page.setContent("<p>guard</p>");
  await page.evaluate(() => {
    console.error("Hydration failed because the server rendered HTML didn't match the client.");
  });
  await page.waitForTimeout(200);
});

test("a page without errors passes", async ({ page }) => {
  await page.setContent("<p>guard</p>");
  await page.evaluate(() => console.info("fine"));
});
