/**
 * The dependency rules of the repository, checked by `npm test` (test/architecture).
 * Paths are relative to the repository root.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const PACKAGE = '^(contracts|shared|services/[^/]+|infra/[^/]+|test/[^/]+|tools/[^/]+)/';
const DOMAIN = '^services/[^/]+/src/domain/';
const WORKSPACE = '^(contracts|shared|services|infra|test|tools)/';

module.exports = {
  forbidden: [
    {
      name: 'service-imports-another-service',
      comment: 'A service imports only @shop/contracts and @shop/shared, never another service.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'relative-import-across-packages',
      comment: 'Packages depend on each other by name through their exports, never by ../ paths.',
      severity: 'error',
      from: { path: PACKAGE },
      to: {
        dependencyTypes: ['local'],
        dependencyTypesNot: ['aliased'],
        pathNot: ['^$1/', '^vitest\\.shared\\.ts$'],
      },
    },
    {
      name: 'deep-import-into-package',
      comment:
        "Import a workspace package only through its declared entry points (each an index.ts, or a service's manifest, service.ts), never a file inside it (no '@shop/x/src/...').",
      severity: 'error',
      from: {},
      to: {
        dependencyTypes: ['aliased-workspace'],
        pathNot: [
          '/(src|infra)/index\\.ts$',
          '/src/[a-zA-Z]+/index\\.ts$',
          '^services/[^/]+/service\\.ts$',
        ],
      },
    },
    {
      name: 'contracts-imports-workspace',
      comment:
        '@shop/contracts is the bottom layer: it imports npm libraries (zod) and nothing of the workspace.',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: WORKSPACE, pathNot: '^contracts/' },
    },
    {
      name: 'shared-imports-upward',
      comment:
        '@shop/shared is the kit under the services: it imports @shop/contracts and libraries, never infra, a service or a test package.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(infra|services|test)/' },
    },
    {
      name: 'domain-imports-outer-layer',
      comment:
        "A service's src/domain is its innermost layer: it imports neither its app, adapters nor handlers.",
      severity: 'error',
      from: { path: '^services/([^/]+)/src/domain/' },
      to: { path: '^services/$1/src/(app|adapters|handlers)/' },
    },
    {
      name: 'app-imports-adapters-or-handlers',
      comment:
        "A service's src/app depends on its domain and on ports it declares, never on its adapters or handlers (they depend on it).",
      severity: 'error',
      from: { path: '^services/([^/]+)/src/app/' },
      to: { path: '^services/$1/src/(adapters|handlers)/' },
    },
    {
      name: 'domain-imports-aws-sdk',
      comment: 'src/domain is pure: no AWS SDK.',
      severity: 'error',
      from: { path: DOMAIN },
      to: {
        path: [
          '^@aws-sdk/',
          'node_modules/@aws-sdk/',
          '^@smithy/',
          'node_modules/@smithy/',
          '^aws-cdk-lib',
          '^@aws-lambda-powertools/',
          'node_modules/@aws-lambda-powertools/',
        ],
      },
    },
    {
      name: 'domain-imports-aws-lambda',
      comment: 'src/domain is pure: no Lambda event or context types.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: ['^aws-lambda$', 'node_modules/@types/aws-lambda/'] },
    },
    {
      name: 'domain-imports-file-system',
      comment: 'src/domain is pure: no file system.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^(node:)?fs(/promises)?$' },
    },
    {
      name: 'domain-imports-http',
      comment: 'src/domain is pure: no HTTP or network code.',
      severity: 'error',
      from: { path: DOMAIN },
      to: {
        path: [
          '^(node:)?(http|https|http2|net|tls|dgram)$',
          '^(undici|axios|node-fetch|got)$',
          'node_modules/(undici|axios|node-fetch|got)/',
        ],
      },
    },
    {
      name: 'service-code-imports-infrastructure',
      comment:
        "A service's runtime code (src) never imports CDK: infrastructure lives in the service's infra/ folder.",
      severity: 'error',
      from: { path: '^services/[^/]+/src/' },
      to: {
        path: [
          '^aws-cdk-lib',
          'node_modules/aws-cdk-lib/',
          '^constructs$',
          'node_modules/constructs/',
          '^infra/',
        ],
      },
    },
    {
      name: 'source-imports-tests',
      comment: 'Production code never depends on test code.',
      severity: 'error',
      from: { path: '/src/' },
      to: { path: '/test/' },
    },
    {
      name: 'no-circular',
      comment: 'Cycles make layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      // node_modules is not excluded (an excluded module vanishes as an import target too, which
      // would hide a domain module's AWS SDK import); doNotFollow keeps it from being cruised.
      path: ['(^|/)dist/', '(^|/)cdk\\.out/', '^test/architecture/fixtures/'],
    },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: {
      conditionNames: ['@shop/source', 'import', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types'],
    },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
