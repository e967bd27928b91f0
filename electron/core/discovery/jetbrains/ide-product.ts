// Product and version from an IDE config folder name. JetBrains names these folders
// <Product><Version> ("IntelliJIdea2024.3", "PyCharmCE2023.2", "AndroidStudio2024.1", legacy
// ".WebStorm2019.3"); the rule is kept general so products we do not know yet still parse:
// leading letters (and dashes) are the product, the trailing digits and dots the version.

export interface IdeFolderName {
  product: string;
  version?: string;
}

const FOLDER_NAME = /^\.?([A-Za-z][A-Za-z-]*?)-?(\d+(?:\.\d+)*)?$/;

export function parseIdeFolderName(name: string): IdeFolderName | undefined {
  const match = FOLDER_NAME.exec(name);
  if (!match) return undefined;
  const product = match[1] as string;
  const version = match[2];
  return version === undefined ? { product } : { product, version };
}

const DISPLAY_NAMES: ReadonlyMap<string, string> = new Map([
  ['IntelliJIdea', 'IntelliJ IDEA'],
  ['IdeaIC', 'IntelliJ IDEA Community'],
  ['IdeaIE', 'IntelliJ IDEA Educational'],
  ['PyCharmCE', 'PyCharm Community'],
  ['PyCharmEdu', 'PyCharm Edu'],
  ['WebIde', 'PhpStorm'],
  ['AndroidStudio', 'Android Studio'],
  ['AndroidStudioPreview', 'Android Studio Preview'],
  ['JetBrainsClient', 'JetBrains Client'],
  ['JetBrainsGateway', 'JetBrains Gateway'],
]);

/** The name a user knows the product by; unknown products keep their folder spelling. */
export function productDisplayName(product: string): string {
  return DISPLAY_NAMES.get(product) ?? product;
}
