// Preloaded (`node --import`) into the benchmark's child process: on exit, writes what the kernel counted for that
// process (peak RSS, CPU) to the file named by BENCH_RUSAGE_FILE, so the import is measured in a process of its own.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(process.resourceUsage())));
