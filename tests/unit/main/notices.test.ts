import { describe, expect, it } from 'vitest';
import { noticeContent, NoticeThrottle } from '../../../electron/main/notices';

describe('noticeContent', () => {
  it('titles each kind and names the project by its folder', () => {
    expect(noticeContent({ kind: 'port-in-use', project: '/work/alpha', message: 'port 8888 on 127.0.0.1 is already in use by another program' })).toEqual({
      title: 'Port already in use: alpha',
      body: 'port 8888 on 127.0.0.1 is already in use by another program',
    });
    expect(noticeContent({ kind: 'upstream-unreachable', message: 'LiteLLM at http://localhost:4000 has been unreachable for 60 s' }).title).toBe('LiteLLM is unreachable');
    expect(noticeContent({ kind: 'port-permission', project: 'C:\\work\\beta\\', message: 'x' }).title).toBe('Port not allowed: beta');
  });

  it('shortens long bodies', () => {
    const body = noticeContent({ kind: 'settings-invalid', message: 'y'.repeat(5000) }).body;
    expect(body.length).toBe(240);
    expect(body.endsWith('…')).toBe(true);
  });
});

describe('NoticeThrottle', () => {
  it('shows one notice per kind and project within the quiet period', () => {
    let now = 0;
    const throttle = new NoticeThrottle(60_000, () => now);
    const portTaken = { kind: 'port-in-use' as const, project: '/a', message: 'taken' };
    expect(throttle.admit(portTaken)).toBe(true);
    expect(throttle.admit(portTaken)).toBe(false);
    expect(throttle.admit({ ...portTaken, project: '/b' })).toBe(true);
    expect(throttle.admit({ kind: 'upstream-unreachable', message: 'down' })).toBe(true);
    now = 59_999;
    expect(throttle.admit(portTaken)).toBe(false);
    now = 60_000;
    expect(throttle.admit(portTaken)).toBe(true);
  });

  it('does not grow without bound', () => {
    let now = 0;
    const throttle = new NoticeThrottle(10, () => now);
    for (let i = 0; i < 5000; i += 1) {
      now += 1;
      throttle.admit({ kind: 'port-in-use', project: `/p${i}`, message: 'x' });
    }
    expect((throttle as unknown as { shownAt: Map<string, number> }).shownAt.size).toBeLessThanOrEqual(501);
  });
});
