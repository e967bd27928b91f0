// Finding things on the window the way a user does: by role, name and visible text.
import type { Locator, Page } from 'playwright';

/** The card of one project, found by its name heading. */
export function projectCard(page: Page, name: string): Locator {
  return page.locator('li.project').filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** The open modal dialog (there is at most one at a time in these tests). */
export function openDialog(page: Page): Locator {
  return page.locator('dialog[open]');
}

export function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Empties the clipboard, so a copy that does nothing cannot pass on an earlier value. */
export function clearClipboard(page: Page): Promise<void> {
  return page.evaluate(() => navigator.clipboard.writeText(''));
}

/** The error message shown next to one settings field. */
export function fieldError(page: Page, field: string): Locator {
  return page.locator(`[data-field-error="${field}"]`);
}

/** Text of the element the keyboard focus is on, with its tag (for focus assertions). */
export function focusedElement(page: Page): Promise<{ tag: string; text: string; inDialog: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: element?.textContent?.trim() ?? '',
      inDialog: Boolean(element?.closest('dialog[open]')),
    };
  });
}
