// electron-builder's afterExtract hook (electron-builder.yml): runs once per target architecture,
// after Electron is unpacked and before the app's files and resources are copied. Builds
// better-sqlite3 for that architecture's Electron ABI (scripts/electron-native.js) and checks that
// the OS keychain module's binary for the target is installed, so no installer ships without them.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { Arch } = require('builder-util');

// @napi-rs/keyring's per-platform packages (npm installs only the one for this machine).
const keyringPackages = {
  darwin: { x64: 'darwin-x64', arm64: 'darwin-arm64' },
  mas: { x64: 'darwin-x64', arm64: 'darwin-arm64' },
  win32: { x64: 'win32-x64-msvc', arm64: 'win32-arm64-msvc', ia32: 'win32-ia32-msvc' },
  linux: { x64: 'linux-x64-gnu', arm64: 'linux-arm64-gnu', armv7l: 'linux-arm-gnueabihf' },
};

exports.default = async function packageNative(context) {
  const arch = Arch[context.arch];
  const platform = context.electronPlatformName;
  const keyring = `@napi-rs/keyring-${keyringPackages[platform]?.[arch]}`;
  try {
    require.resolve(`${keyring}/package.json`, { paths: [context.packager.projectDir] });
  } catch {
    throw new Error(`${keyring} is not installed, so a ${platform}-${arch} build would have no keychain: run \`npm install --no-save --force ${keyring}\` (or build on a ${arch} machine).`);
  }
  const script = join(context.packager.projectDir, 'scripts', 'electron-native.js');
  const result = spawnSync(process.execPath, [script, '--arch', arch], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`better-sqlite3 could not be built for Electron (${platform}-${arch}); see the messages above.`);
};
