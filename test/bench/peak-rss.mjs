// Preloaded (NODE_OPTIONS=--import …) into a measured process: at exit, writes its peak RSS in kB (getrusage's
// maxrss, exact, unlike sampling) to $PD_BENCH_PEAK_RSS_DIR/<pid>.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.PD_BENCH_PEAK_RSS_DIR;
if (dir) process.on('exit', () => writeFileSync(join(dir, String(process.pid)), String(process.resourceUsage().maxRSS)));
