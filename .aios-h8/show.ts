import { readFileSync } from 'node:fs';
import { renderRunReport } from '../cli/run-timeline';
const f = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ex = { ...f.execution, startDate: f.execution.startDate && new Date(f.execution.startDate), stopDate: f.execution.stopDate && new Date(f.execution.stopDate) };
console.log(renderRunReport({ execution: ex, history: f.events, audit: [] }).join('\n'));
