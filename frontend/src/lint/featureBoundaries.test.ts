// @vitest-environment node
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages
    .filter((m) => m.ruleId === 'shuxuan/feature-boundaries')
    .map((m) => m.message);
}

describe('feature boundaries (eslint)', () => {
  it('forbids one feature importing another, by alias or relative path', async () => {
    expect(
      await boundaryErrors(
        'src/features/home/X.ts',
        "export { useAnchors } from '@/features/parties/api';\n",
      ),
    ).toHaveLength(1);
    expect(
      await boundaryErrors(
        'src/features/home/X.ts',
        "import { useAnchors } from '../parties/api';\nexport const x = useAnchors;\n",
      ),
    ).toHaveLength(1);
    expect(
      await boundaryErrors(
        'src/features/home/deep/X.ts',
        "import { LoginPage } from '../../auth/LoginPage';\nexport const x = LoginPage;\n",
      ),
    ).toHaveLength(1);
  });

  it('forbids features importing the app shell', async () => {
    expect(
      await boundaryErrors(
        'src/features/home/X.ts',
        "import { routes } from '@/app/routes';\nexport const x = routes;\n",
      ),
    ).toHaveLength(1);
  });

  it('allows own-feature and shared imports, and the app importing features', async () => {
    expect(
      await boundaryErrors(
        'src/features/home/X.ts',
        "import { useHomeData } from './api';\nimport { formatMoney } from '@/lib/money';\nexport const x = [useHomeData, formatMoney];\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'src/app/X.ts',
        "import { HomePage } from '@/features/home/HomePage';\nexport const x = HomePage;\n",
      ),
    ).toEqual([]);
  });
});
