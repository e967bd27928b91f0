// Valid and invalid values per settings key, shared by the check tests and the schema-consistency
// tests (the conf schema must accept every valid sample).
import type { SettingKey } from '../../../shared/settings-fields';

export const VALID_SAMPLES: Record<SettingKey, unknown[]> = {
  targetUrl: ['http://localhost:4000', 'https://litellm.example.com', 'http://10.1.2.3:4000/v1', 'http://[::1]:4000', 'http://litellm_proxy:4000/'],
  apiKey: ['sk-1234567890abcdef', 'x', 'k'.repeat(4096)],
  headerProfile: [{}, { litellm: false }, { litellm: true, seedCompat: false, endUserId: true }, { identifies: 'project' }, { identifies: 'folder', litellm: false }],
  bindHost: ['127.0.0.1', '::1', 'localhost', '0.0.0.0', 'my-host.local'],
  portRange: [
    { start: 8888, end: 9999 },
    { start: 1, end: 65535 },
    { start: 9000, end: 9000 },
  ],
  reservedPorts: ['', '8900', '8900,8950-8960', ' 8900 , 9000-9001 ,'],
  jetbrainsDetection: [true, false],
  extraIdeConfigDirs: [[], ['/opt/ide/config'], ['C:\\Users\\me\\AppData\\Roaming\\JetBrains\\X']],
  pinnedProjects: [[], ['/home/me/a', '/home/me/b'], [`/${'p'.repeat(4000)}`]],
  startAtLogin: [true, false],
  dashboardPort: [0, 1, 8080, 65535],
  idePort: [1, 8887, 65535],
  allowedOrigins: [[], ['http://localhost:5173', 'https://127.0.0.1:8443']],
  bodyLimitMb: [1, 32, 1024],
  usageLedger: [true, false],
  usageRetentionDays: [1, 180, 3650],
};

export const INVALID_SAMPLES: Record<SettingKey, unknown[]> = {
  targetUrl: [5, '', 'ftp://x', 'localhost:4000', 'http://user:pw@h', 'http://h/?q=1', 'http://h#f', `http://h/${'a'.repeat(3000)}`, null],
  apiKey: ['', 'has space', 'k'.repeat(4097), 12, 'tab\tkey', 'ünïcode'],
  headerProfile: [null, [], { litellm: 'yes' }, { bogus: true }, true, { identifies: 'nobody' }, { identifies: true }, { identifies: 'Machine' }],
  bindHost: ['', 'bad host', '256.0.0.1', 'a'.repeat(300), 1],
  portRange: [{ start: 9000, end: 8000 }, { start: 0, end: 10 }, { start: 1, end: 65536 }, { start: 1 }, { start: 1, end: 2, x: 3 }, '8888-9999', null],
  reservedPorts: ['abc', '0', '9000-8000', 8900, [8900], '1'.repeat(2000)],
  jetbrainsDetection: ['true', 1, null],
  extraIdeConfigDirs: ['/x', ['relative'], [1], Array.from({ length: 101 }, (_, i) => `/d${i}`)],
  pinnedProjects: [['/a', '/a'], ['~/proj'], [''], [`/${'p'.repeat(5000)}`], '/a'],
  startAtLogin: ['false', 0],
  dashboardPort: [-1, 65536, 1.5, '8080'],
  idePort: [0, -1, 65536, 1.5, '8887', null],
  allowedOrigins: [['http://localhost:5173/'], ['localhost:5173'], ['http://x/path'], 'http://x', Array.from({ length: 21 }, (_, i) => `http://h${i}`)],
  bodyLimitMb: [0, 1025, 1.5, '32'],
  usageLedger: ['on', 1, null],
  usageRetentionDays: [0, 3651, 2.5, '180'],
};
