import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findIdeConfigFolders } from '../../../electron/core/discovery/jetbrains/ide-config-folders';
import { tempDir } from '../../helpers/temp';
import { mkdirp, put } from '../../fixtures/jetbrains/fixtures';

describe('findIdeConfigFolders', () => {
  it('linux: modern JetBrains and Google folders, pre-2020 dot folders, nothing unrelated', async () => {
    const home = await tempDir('home-linux-');
    const config = path.join(home, 'xdg-config');
    mkdirp(path.join(config, 'JetBrains', 'IntelliJIdea2024.3', 'options'));
    mkdirp(path.join(config, 'JetBrains', 'PyCharm2025.1')); // first start: options/ not written yet
    mkdirp(path.join(config, 'JetBrains', 'GoLand', 'options')); // unversioned, but an IDE folder
    mkdirp(path.join(config, 'JetBrains', 'consentOptions')); // JetBrains' own, not an IDE
    put(path.join(config, 'JetBrains', 'Rider2024.3'), 'a file, not a folder');
    mkdirp(path.join(config, 'Google', 'AndroidStudio2024.1', 'options'));
    mkdirp(path.join(config, 'Google', 'Chrome', 'Default'));
    mkdirp(path.join(home, '.IntelliJIdea2019.3', 'config', 'options'));
    mkdirp(path.join(home, '.python3.11')); // versioned dot folder without config/
    mkdirp(path.join(home, '.cache'));

    const scan = await findIdeConfigFolders({ platform: 'linux', homedir: home, env: { XDG_CONFIG_HOME: config } });
    expect(scan.folders).toEqual([
      {
        configDir: path.join(config, 'JetBrains', 'GoLand'),
        systemDir: path.join(home, '.cache', 'JetBrains', 'GoLand'),
        product: 'GoLand',
        productName: 'GoLand',
        layout: 'modern',
      },
      {
        configDir: path.join(config, 'JetBrains', 'IntelliJIdea2024.3'),
        systemDir: path.join(home, '.cache', 'JetBrains', 'IntelliJIdea2024.3'),
        product: 'IntelliJIdea',
        productName: 'IntelliJ IDEA',
        version: '2024.3',
        layout: 'modern',
      },
      {
        configDir: path.join(config, 'JetBrains', 'PyCharm2025.1'),
        systemDir: path.join(home, '.cache', 'JetBrains', 'PyCharm2025.1'),
        product: 'PyCharm',
        productName: 'PyCharm',
        version: '2025.1',
        layout: 'modern',
      },
      {
        configDir: path.join(config, 'Google', 'AndroidStudio2024.1'),
        systemDir: path.join(home, '.cache', 'Google', 'AndroidStudio2024.1'),
        product: 'AndroidStudio',
        productName: 'Android Studio',
        version: '2024.1',
        layout: 'modern',
      },
      {
        configDir: path.join(home, '.IntelliJIdea2019.3', 'config'),
        systemDir: path.join(home, '.IntelliJIdea2019.3', 'system'),
        product: 'IntelliJIdea',
        productName: 'IntelliJ IDEA',
        version: '2019.3',
        layout: 'legacy',
      },
    ]);
    expect(scan.roots.map((r) => [r.kind, r.exists])).toEqual([
      ['jetbrains', true],
      ['google', true],
      ['legacy-home', true],
    ]);
  });

  it('macOS: Application Support and the pre-2020 Preferences folders', async () => {
    const home = await tempDir('home-mac-');
    const support = path.join(home, 'Library', 'Application Support');
    mkdirp(path.join(support, 'JetBrains', 'WebStorm2024.2', 'options'));
    mkdirp(path.join(support, 'JetBrains', 'Toolbox'));
    mkdirp(path.join(support, 'Google', 'AndroidStudio2023.3', 'options'));
    mkdirp(path.join(support, 'Google', 'Chrome'));
    mkdirp(path.join(home, 'Library', 'Preferences', 'PhpStorm2019.3', 'options'));
    mkdirp(path.join(home, 'Library', 'Preferences', 'SomeApp2019')); // versioned, but no options/
    put(path.join(home, 'Library', 'Preferences', 'com.example.app.plist'), '');

    const scan = await findIdeConfigFolders({ platform: 'darwin', homedir: home, env: {} });
    expect(scan.folders.map((f) => [f.product, f.version, f.layout, f.configDir, f.systemDir])).toEqual([
      [
        'WebStorm',
        '2024.2',
        'modern',
        path.join(support, 'JetBrains', 'WebStorm2024.2'),
        path.join(home, 'Library', 'Caches', 'JetBrains', 'WebStorm2024.2'),
      ],
      [
        'AndroidStudio',
        '2023.3',
        'modern',
        path.join(support, 'Google', 'AndroidStudio2023.3'),
        path.join(home, 'Library', 'Caches', 'Google', 'AndroidStudio2023.3'),
      ],
      [
        'PhpStorm',
        '2019.3',
        'legacy',
        path.join(home, 'Library', 'Preferences', 'PhpStorm2019.3'),
        path.join(home, 'Library', 'Caches', 'PhpStorm2019.3'),
      ],
    ]);
  });

  it('reports roots that do not exist without failing', async () => {
    const home = await tempDir('home-empty-');
    const scan = await findIdeConfigFolders({ platform: 'linux', homedir: home, env: {} });
    expect(scan.folders).toEqual([]);
    expect(scan.roots.map((r) => [r.dir, r.exists])).toEqual([
      [path.join(home, '.config', 'JetBrains'), false],
      [path.join(home, '.config', 'Google'), false],
      [home, true],
    ]);
  });

  it('user folders: an IDE config folder itself, a folder of them, or a legacy …/config', async () => {
    const home = await tempDir('home-user-');
    const portable = mkdirp(path.join(home, 'portable', 'idea-config'));
    mkdirp(path.join(portable, 'options'));
    const collection = mkdirp(path.join(home, 'synced'));
    mkdirp(path.join(collection, 'CLion2024.3', 'options'));
    mkdirp(path.join(collection, 'notes'));
    const legacy = mkdirp(path.join(home, 'old', '.PyCharm2019.2', 'config'));
    mkdirp(path.join(legacy, 'options'));
    const missing = path.join(home, 'nowhere');

    const scan = await findIdeConfigFolders({ platform: 'linux', homedir: home, env: {} }, [portable, collection, legacy, missing]);
    expect(scan.folders.map((f) => [f.configDir, f.product, f.version, f.layout, f.systemDir])).toEqual([
      [portable, 'idea-config', undefined, 'user', undefined],
      [path.join(collection, 'CLion2024.3'), 'CLion', '2024.3', 'user', undefined],
      [legacy, 'PyCharm', '2019.2', 'user', path.join(home, 'old', '.PyCharm2019.2', 'system')],
    ]);
    expect(scan.roots.find((r) => r.dir === missing)).toEqual({ dir: missing, kind: 'user', exists: false });
  });
});
