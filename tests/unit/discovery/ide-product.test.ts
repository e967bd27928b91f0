import { describe, expect, it } from 'vitest';
import { parseIdeFolderName, productDisplayName } from '../../../electron/core/discovery/jetbrains/ide-product';

describe('parseIdeFolderName', () => {
  it.each([
    ['IntelliJIdea2024.3', 'IntelliJIdea', '2024.3'],
    ['IdeaIC2024.1', 'IdeaIC', '2024.1'],
    ['PyCharm2025.1', 'PyCharm', '2025.1'],
    ['PyCharmCE2023.2', 'PyCharmCE', '2023.2'],
    ['WebStorm2024.2', 'WebStorm', '2024.2'],
    ['Rider2024.3', 'Rider', '2024.3'],
    ['AndroidStudio2024.1', 'AndroidStudio', '2024.1'],
    ['AndroidStudio4.2', 'AndroidStudio', '4.2'],
    ['AndroidStudioPreview2024.2', 'AndroidStudioPreview', '2024.2'],
    ['CLion2024.3', 'CLion', '2024.3'],
    ['RustRover2024.3', 'RustRover', '2024.3'],
    ['.WebIde80', 'WebIde', '80'],
    ['.IntelliJIdea2019.3', 'IntelliJIdea', '2019.3'],
    ['GoLand', 'GoLand', undefined],
    ['consentOptions', 'consentOptions', undefined],
  ])('%s → %s %s', (name, product, version) => {
    expect(parseIdeFolderName(name)).toEqual(version === undefined ? { product } : { product, version });
  });

  it.each(['2024.3', 'IntelliJ Idea 2024', 'Idea2024.3-backup', '', '.'])('rejects %j', (name) => {
    expect(parseIdeFolderName(name)).toBeUndefined();
  });

  it('names products the way users know them, and keeps unknown ones', () => {
    expect(productDisplayName('IntelliJIdea')).toBe('IntelliJ IDEA');
    expect(productDisplayName('PyCharmCE')).toBe('PyCharm Community');
    expect(productDisplayName('AndroidStudio')).toBe('Android Studio');
    expect(productDisplayName('Writerside')).toBe('Writerside');
  });
});
