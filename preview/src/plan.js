// Update mode: the core's plan of the change, in its own words (state, summary lines, steps in order).

import { $, el } from './dom.js';

export function showPlan(plan) {
  $('plan-pane').hidden = !plan;
  if (!plan) return;
  const state = $('plan-state');
  state.textContent = plan.state;
  state.className = `summary ${plan.refused.length ? 'bad' : plan.steps.length ? 'warn' : 'good'}`;
  $('plan-summary').replaceChildren(...plan.summary.map((line) => el('li', line.startsWith('refused:') ? 'refused' : '', line)));
  $('plan-steps').replaceChildren(...plan.steps.map((step) => el('li', `step ${step.status}`, step.text)));
}
