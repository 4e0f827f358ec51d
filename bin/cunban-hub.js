#!/usr/bin/env node
// The county hub's command line. The hub is TypeScript run through tsx's loader, so it ships as source.
import { register } from 'tsx/esm/api';

register();
await import('../sync-server/cli.ts');
