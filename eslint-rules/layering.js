/**
 * cunban/layering — which part may import what (DESIGN.md, "Parts and who may import whom").
 *
 * A file's part is its top folder. Relative imports must land in a part the importing part may use;
 * bare imports are checked against the part's package policy; Node built-ins are refused where the
 * part has no Node. Type-only imports count too: a type from another part is still a dependency.
 * Folders not named in `parts` (test/, scripts/) are not restricted.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE_BUILTINS = new Set(builtinModules);

function packageName(specifier) {
  const [first, second] = specifier.split('/');
  return first.startsWith('@') && second ? `${first}/${second}` : first;
}

function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(packageName(specifier));
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import rules between Cunban parts' },
    schema: [
      {
        type: 'object',
        properties: {
          parts: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                mayImport: { type: 'array', items: { type: 'string' } },
                nodeBuiltins: { type: 'boolean' },
                allowPackages: { type: 'array', items: { type: 'string' } },
              },
              required: ['mayImport', 'nodeBuiltins', 'allowPackages'],
              additionalProperties: false,
            },
          },
        },
        required: ['parts'],
        additionalProperties: false,
      },
    ],
    messages: {
      part: "{{from}}/ may import only {{allowed}}; '{{specifier}}' is in {{to}}/.",
      outside: "{{from}}/ may import only {{allowed}}; '{{specifier}}' leaves the project's parts.",
      builtin: "{{from}}/ has no Node.js: '{{specifier}}' is not available here.",
      packageNotAllowed: "{{from}}/ may use only the packages {{packages}}; '{{specifier}}' is not one of them.",
    },
  },
  create(context) {
    const { parts } = context.options[0];
    const root = context.cwd;
    const relativeFile = path.relative(root, context.filename);
    const from = relativeFile.split(path.sep)[0];
    const policy = parts[from];
    if (!policy || relativeFile.startsWith('..')) return {};
    const allowed = policy.mayImport.map((part) => `${part}/`).join(' and ');

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), specifier));
        const to = target.split(path.sep)[0];
        if (target.startsWith('..') || path.isAbsolute(target)) {
          context.report({ node, messageId: 'outside', data: { from, allowed, specifier } });
        } else if (!policy.mayImport.includes(to)) {
          context.report({ node, messageId: 'part', data: { from, allowed, specifier, to } });
        }
        return;
      }
      if (isNodeBuiltin(specifier)) {
        if (!policy.nodeBuiltins) context.report({ node, messageId: 'builtin', data: { from, specifier } });
        return;
      }
      const name = packageName(specifier);
      if (!policy.allowPackages.includes(name)) {
        const packages = policy.allowPackages.join(', ') || '(none)';
        context.report({ node, messageId: 'packageNotAllowed', data: { from, specifier, packages } });
      }
    }

    const fromSource = (node) => {
      if (node.source) check(node.source, node.source.value);
    };
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node.source, node.source.value);
      },
      TSImportType(node) {
        const literal = node.argument?.literal ?? node.argument;
        if (literal?.type === 'Literal') check(literal, literal.value);
      },
      TSExternalModuleReference(node) {
        if (node.expression.type === 'Literal') check(node.expression, node.expression.value);
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};
