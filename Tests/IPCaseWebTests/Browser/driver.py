"""Drives Debian's Chromium with Selenium for BrowserTests.swift.

    python3 driver.py BASE_URL CHROMIUM CHROMEDRIVER WORK_DIRECTORY

reads one command a line on standard input, a JSON object, and answers each with one JSON line
on standard output. The test decides what to do and checks what it sees; this script only acts
and reports. Commands ("do"):

    open        {"path": "/signin"}                 loads BASE_URL + path
    type        {"css": "...", "text": "..."}        clears the first match and types into it
    choose      {"css": "...", "value": "..."}       picks the option of that value in a select
    click       {"css": "..."}                       clicks the first match and waits for the
                                                    page it loads (every click here submits)
    texts       {"css": "..."}                       the visible text of every match
    attributes  {"css": "...", "name": "..."}        an attribute of every match
    script      {"source": "..."}                    runs JavaScript (through WebDriver, which
                                                    the page's CSP does not govern)
    screenshot  {"file": "..."}                      saves a PNG of the window
    quit        {}

Every answer carries where the browser is ({"url", "path", "title", "lang"}), its cookies
({"cookies": {name: value}}, HttpOnly ones too), and the browser console's entries logged
since the last answer ({"log": [{"level", "message"}]}); "result" holds a command's own
answer, "error" what went wrong.
"""

import json
import os
import signal
import sys
import traceback
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

TIMEOUT = 30  # seconds for a page to load


def start(chromium, chromedriver, work):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in [
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1280,1000",
        "--lang=en-US",
        "--user-data-dir=" + os.path.join(work, "profile"),
    ]:
        options.add_argument(argument)
    # English unless the workspace is told otherwise: the language the test expects first.
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    # The console (CSP violations are logged there as errors) through get_log("browser").
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=chromedriver, log_output=os.path.join(work, "chromedriver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(TIMEOUT)
    return driver


def state(driver):
    url = driver.current_url
    try:
        lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    except WebDriverException:
        lang = None
    return {
        "url": url,
        "path": urlsplit(url).path,
        "title": driver.title,
        "lang": lang,
        "cookies": {cookie["name"]: cookie["value"] for cookie in driver.get_cookies()},
        "log": [{"level": entry["level"], "message": entry["message"]} for entry in driver.get_log("browser")],
    }


def first(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css)


def act(driver, base, command):
    what = command["do"]
    if what == "open":
        driver.get(base + command["path"])
    elif what == "type":
        field = first(driver, command["css"])
        field.clear()
        field.send_keys(command["text"])
    elif what == "upload":
        # A file input takes the file's path as its keys.
        first(driver, command["css"]).send_keys(command["path"])
    elif what == "choose":
        Select(first(driver, command["css"])).select_by_value(command["value"])
    elif what == "click":
        # The page the click leaves is marked; the next one is a new window object, without
        # the mark. (Waiting for the old <html> to go stale races with chromedriver while the
        # page changes: it may answer neither stale nor present, but an inspector error.)
        driver.execute_script("window.ipcaseLeft = true")
        first(driver, command["css"]).click()
        WebDriverWait(driver, TIMEOUT, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("return !window.ipcaseLeft && document.readyState === 'complete'"))
    elif what == "texts":
        return [element.text for element in driver.find_elements(By.CSS_SELECTOR, command["css"])]
    elif what == "attributes":
        return [element.get_attribute(command["name"])
                for element in driver.find_elements(By.CSS_SELECTOR, command["css"])]
    elif what == "script":
        return driver.execute_script(command["source"])
    elif what == "screenshot":
        if not driver.save_screenshot(command["file"]):
            raise RuntimeError("no screenshot written to " + command["file"])
    else:
        raise ValueError("unknown command: " + what)
    return None


def main():
    base, chromium, chromedriver, work = sys.argv[1:5]
    # Stopped by the test (it timed out): still quit Chromium and chromedriver on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers on the answer channel
    try:
        driver = start(chromium, chromedriver, work)
    except Exception:
        out.write(json.dumps({"error": "Chromium did not start:\n" + traceback.format_exc()}) + "\n")
        out.flush()
        return 1
    out.write(json.dumps({"result": driver.capabilities.get("browserVersion")}) + "\n")
    out.flush()
    try:
        for line in sys.stdin:
            command = json.loads(line)
            if command["do"] == "quit":
                break
            try:
                answer = {"result": act(driver, base, command)}
            except Exception:
                answer = {"error": traceback.format_exc()}
            try:
                answer.update(state(driver))
            except Exception:
                answer.setdefault("error", traceback.format_exc())
            out.write(json.dumps(answer) + "\n")
            out.flush()
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
