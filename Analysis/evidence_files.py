#!/usr/bin/env python3
# Writes Scenarios/evidence-{argentina,venezuela}.yaml, their posterior samples in Scenarios/data/ and
# Scenarios/sweep-evidence-*.yaml from a finished `parecon-sim calibrate Scenarios/calibrate-evidence.yaml
# --out results/evidence` (run from the package root).
# Builds the shipped evidence scenarios, posterior samples and sweep files from results/evidence.
import json, shutil, sys
R = 'results/evidence'
d = json.load(open(f'{R}/calibration.json'))
post = d['posterior']
med = {k: v['median'] for k, v in post.items()} if isinstance(post, dict) else {p['path']: p['median'] for p in post}
gens = d['generations']; eps = d['epsilon']
def g3(x): return float('%.3g' % x)
sites = {
  'argentina': ('argentina-recovered.yaml', 'Argentina', {'population': {'persons': 100000}}),
  'venezuela': ('venezuela-councils.yaml', 'Venezuela', {}),
}
for site, (base, country, extra) in sites.items():
    keys = {}
    for name, m in med.items():
        key, _, s = name.partition('@')
        if s in ('', site): keys[key] = g3(m)
    sections = {}
    for k, v in keys.items():
        sec, sub = k.split('.', 1); sections.setdefault(sec, {})[sub] = v
    for sec, kv in extra.items():
        sections.setdefault(sec, {}).update(kv)
    lines = [f'# evidence-{site}: {country} at the posterior medians of the multi-pattern calibration',
             f'# `parecon-sim calibrate Scenarios/calibrate-evidence.yaml`',
             f'# ({gens} generations, final tolerance {eps:.3g}; nine parameters fitted to six patterns of',
             f'# Argentina and Venezuela at once). Medians of wide posteriors: compare paths over the posterior',
             f'# (sweep-evidence-{site}.yaml) rather than at this one point. See docs/CALIBRATION.md section 9.',
             f'extends: {base}', f'name: evidence-{site}']
    for sec in sorted(sections):
        lines.append(f'{sec}:')
        for sub, v in sorted(sections[sec].items()):
            lines.append(f'  {sub}: {v}')
    open(f'Scenarios/evidence-{site}.yaml', 'w').write('\n'.join(lines) + '\n')
    sample = open(f'{R}/posterior-sample-{site}.csv').read()
    open(f'Scenarios/data/evidence-posterior-{site}.csv', 'w').write(
        f'# Equal-weight posterior sample ({site}) of parecon-sim calibrate Scenarios/calibrate-evidence.yaml ({gens} generations; results/evidence/posterior-sample-{site}.csv).\n' + sample)
    open(f'Scenarios/sweep-evidence-{site}.yaml', 'w').write(f'''# sweep-evidence-{site}: the multi-pattern calibration's posterior for {country} as parameter draws.
#
# 100 equal-weight draws (Scenarios/data/evidence-posterior-{site}.csv) of the parameters that
# apply to the {site} site of `parecon-sim calibrate Scenarios/calibrate-evidence.yaml`. Used by
# `parecon-sim compare PATHS… --uncertainty Scenarios/sweep-evidence-{site}.yaml`: every path runs in
# the calibrated economy (base:) with the path file's own settings over it, at every draw.
sweep:
  base: evidence-{site}.yaml
  design: csv
  design_file: data/evidence-posterior-{site}.csv
  replicates: 1
  seed: 2026
''')
print(med)
