/** Cases registered through the same path as the form (core/'s intake events, one write), for screens that list them. */
import type { IntakeOutcome } from '../../../core/case/intake.js';
import { firstValueFrom } from 'rxjs';
import { registerCase } from '../../../renderer/kiosk/register.js';
import { emptyDraft } from '../../../renderer/kiosk/intake-form.js';
import type { Counter } from './harness.js';

const ID_NUMBERS = ['422822198001010015', '422822199506150026', '42282219671130019X', '11010519491231002X'];
let next = 0;

export async function registerThroughData(
  counter: Counter,
  options: { itemCode: string; name: string; outcome: IntakeOutcome; missing?: boolean; idNumber?: string },
): Promise<string> {
  const { catalog } = await firstValueFrom(counter.data.county$);
  const item = catalog?.items.find((candidate) => candidate.code === options.itemCode);
  if (!catalog || !item) throw new Error(`no item ${options.itemCode}`);
  const checklist = Object.fromEntries(item.materials.map((m, i) => [m.id, options.missing && i === 0 ? 'missing' : 'received'] as const));
  const idNumber = options.idNumber ?? ID_NUMBERS[next++ % ID_NUMBERS.length] ?? '';
  const draft = { ...emptyDraft, itemCode: item.code, applicant: { name: options.name, idNumber, phone: '', address: '' }, checklist };
  const actor = { id: `${counter.data.enrollment.kioskId}/c1`, name: '王芳', level: 'village' as const };
  const registered = await registerCase({ data: counter.data, actor }, catalog, item, draft, options.outcome);
  if (!registered.ok) throw new Error(registered.error.code);
  return registered.value;
}
