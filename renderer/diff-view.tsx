// A unified diff as `git diff` colours it: added lines, removed lines, hunk headers.
function lineClass(line: string): string | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return undefined;
}

export function DiffView({ diff, label }: { diff: string; label: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre class="diff" aria-label={label}>
      <code>
        {lines.map((line, index) => (
          <span key={index} class={lineClass(line)}>
            {line}
            {'\n'}
          </span>
        ))}
      </code>
    </pre>
  );
}
