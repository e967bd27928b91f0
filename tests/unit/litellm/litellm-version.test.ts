import { describe, expect, it } from 'vitest';
import { clientTagsWarning, dropsClientTags, parseLiteLlmVersion } from '../../../electron/core/litellm/litellm-version';

describe('LiteLLM versions that drop client tags', () => {
  it.each(['1.83.10', '1.83.11', '1.83.14', 'v1.83.10-stable', '1.83.12.post1', '1.84.0-rc.1', '1.84.0rc1', '1.84.0.rc.1', '1.84.0-rc1'])('%s drops them', (version) => {
    expect(dropsClientTags(version)).toBe(true);
    expect(clientTagsWarning(version)).toContain('allow_client_tags: true');
    expect(clientTagsWarning(version)).toContain(version);
  });

  it.each(['1.83.9', '1.83.0', '1.82.6', '1.84.0', '1.84.0-rc.2', '1.84.1', '1.100.1', 'v1.110.2', '2.0.0', '1.83.10-dev'])('%s does not', (version) => {
    // A dev build of 1.83.10 precedes the release that started dropping them.
    expect(dropsClientTags(version)).toBe(false);
    expect(clientTagsWarning(version)).toBeUndefined();
  });

  it.each(['', 'latest', 'main-stable', '1.84', '1.x.0', 'v', '1.84.0;rm'])('refuses to guess for %j', (version) => {
    expect(dropsClientTags(version)).toBe(false);
    if (version !== '1.84.0;rm') expect(parseLiteLlmVersion(version)).toBeUndefined();
  });
});
