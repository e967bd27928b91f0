import { describe, expect, it } from 'vitest';
import { senderProblem } from '../../../electron/main/ipc-sender';

const page = 'app://interceptor/index.html';

describe('senderProblem', () => {
  it('accepts the main frame of our window showing our page', () => {
    expect(senderProblem({ sender: { id: 3 }, senderFrame: { url: page, parent: null, detached: false } }, 3)).toBeNull();
  });

  it('names why a sender is refused', () => {
    expect(senderProblem({ sender: { id: 4 }, senderFrame: { url: page, parent: null } }, 3)).toBe('the caller is not the Interceptor window');
    expect(senderProblem({ sender: { id: 3 }, senderFrame: { url: page, parent: null } }, undefined)).toBe('the caller is not the Interceptor window');
    expect(senderProblem({ sender: { id: 3 }, senderFrame: null }, 3)).toBe('the calling frame is gone');
    expect(senderProblem({ sender: { id: 3 }, senderFrame: { url: page, parent: null, detached: true } }, 3)).toBe('the calling frame is detached');
    expect(senderProblem({ sender: { id: 3 }, senderFrame: { url: page, parent: { url: page } } }, 3)).toBe('the caller is a sub-frame, not the window’s page');
    expect(senderProblem({ sender: { id: 3 }, senderFrame: { url: 'http://127.0.0.1:8888/index.html', parent: null } }, 3)).toBe('the caller is not the Interceptor page');
  });
});
