// Copies text with the async clipboard API and says so on the button ("Copied") and in the live
// region. When the browser refuses, a dialog shows the text selected, ready for Ctrl+C.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from './app-context';
import { Modal } from './modal';

const COPIED_FOR_MS = 2000;

async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

interface CopyButtonProps {
  text: string;
  label: string;
  /** What was copied, for the announcement ("base URL of app"). */
  what: string;
  class?: string;
  disabled?: boolean;
  describedBy?: string;
}

export function CopyButton({ text, label, what, class: extraClass, disabled, describedBy }: CopyButtonProps) {
  const { notices } = useApp();
  const [copied, setCopied] = useState(false);
  const [manual, setManual] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    if (await writeClipboard(text)) {
      setCopied(true);
      notices.announce(`Copied ${what}`);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), COPIED_FOR_MS);
    } else {
      notices.announce(`Could not copy ${what}; it is shown selected instead`);
      setManual(true);
    }
  };

  return (
    <>
      <button
        type="button"
        class={extraClass}
        disabled={disabled}
        aria-describedby={describedBy}
        data-copied={copied ? 'true' : undefined}
        onClick={() => void copy()}
      >
        {copied ? 'Copied ✓' : label}
      </button>
      {manual && <ManualCopyDialog text={text} what={what} onClose={() => setManual(false)} />}
    </>
  );
}

function ManualCopyDialog({ text, what, onClose }: { text: string; what: string; onClose: () => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    area.current?.focus();
    area.current?.select();
  }, []);
  const lines = Math.min(12, text.split('\n').length + 1);
  return (
    <Modal title="Copy it yourself" onClose={onClose}>
      <div class="modal-body">
        <p>
          The browser did not allow copying the {what}. It is selected below: press Ctrl+C (⌘C on macOS) to copy it.
        </p>
        <textarea ref={area} class="manual-copy" readOnly rows={lines} aria-label={what} value={text} />
      </div>
      <div class="modal-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
