#!/usr/bin/env python3
"""Regenerates internal/payload/examples/ from @octokit/webhooks-examples.

Usage (from anywhere):
    cd /tmp && npm pack @octokit/webhooks-examples@7.6.1 && tar xzf octokit-webhooks-examples-7.6.1.tgz
    python3 internal/payload/scripts/trim.py /tmp/package/api.github.com/index.json

See examples/SOURCE.md for what is picked, derived and trimmed.
"""
import json, copy, os, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else 'package/api.github.com/index.json'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'examples')
d = {e['name']: e['examples'] for e in json.load(open(SRC))}

def ex(event, idx, action=None):
    x = copy.deepcopy(d[event][idx])
    if action is not None:
        assert x.get('action') == action, (event, idx, x.get('action'), action)
    return x

def insert_after(obj, after, key, val):
    out = {}
    for k, v in obj.items():
        if k == key:
            continue
        out[k] = v
        if k == after:
            out[key] = val
    if key not in out:
        out[key] = val
    return out

def insert_before(obj, before, key, val):
    out = {}
    for k, v in obj.items():
        if k == key:
            continue
        if k == before:
            out[key] = val
        out[k] = v
    if key not in out:
        out[key] = val
    return out

# --- derivations (documented in SOURCE.md) ---
def on_pr(x):
    """Turn a real issue_comment on a plain issue into one on a pull request."""
    iss = x['issue']
    api = iss['url']                      # .../repos/O/R/issues/N
    repo_api = api.rsplit('/issues/', 1)[0]
    n = iss['number']
    web = iss['html_url'].rsplit('/issues/', 1)[0]
    iss['html_url'] = f'{web}/pull/{n}'
    pr = {
        'url': f'{repo_api}/pulls/{n}',
        'html_url': f'{web}/pull/{n}',
        'diff_url': f'{web}/pull/{n}.diff',
        'patch_url': f'{web}/pull/{n}.patch',
        'merged_at': None,
    }
    x['issue'] = insert_before(iss, 'body', 'pull_request', pr)
    c = x['comment']
    c['html_url'] = f"{web}/pull/{n}#issuecomment-{c['id']}"
    return x

def merged(x):
    pr = x['pull_request']
    pr['merged'] = True
    pr['merged_at'] = pr['closed_at']
    pr['merged_by'] = copy.deepcopy(x['sender'])
    pr['mergeable'] = None
    pr['rebaseable'] = None
    pr['mergeable_state'] = 'unknown'
    return x

def review_edited(x):
    x['action'] = 'edited'
    x['review']['body'] = 'Looks good to me! Thanks for fixing the typo.'
    return insert_after(x, 'action', 'changes', {'body': {'from': 'Looks good to me!'}})

# --- trimming ---
USER_KEYS = ['login', 'id', 'node_id', 'url', 'html_url', 'type', 'site_admin']
ORG_KEYS = ['login', 'id', 'node_id', 'url', 'html_url', 'description']
REPO_KEYS = ['id', 'node_id', 'name', 'full_name', 'private', 'owner', 'html_url', 'description',
             'fork', 'url', 'created_at', 'updated_at', 'pushed_at', 'default_branch',
             'visibility', 'archived', 'disabled']
KEEP_URL = {'html_url', 'issue_url', 'pull_request_url'}
DROP = {'reactions', '_links'}

def is_user(v):
    return isinstance(v, dict) and 'login' in v and 'type' in v
def is_org(v):
    return isinstance(v, dict) and 'login' in v and 'type' not in v
def is_repo(v):
    return isinstance(v, dict) and 'full_name' in v and 'owner' in v

def pick(v, keys):
    return {k: v[k] for k in v if k in keys}

def trim(v, key=None, parent=None):
    if isinstance(v, list):
        return [trim(i, key, parent) for i in v]
    if not isinstance(v, dict):
        return v
    if key == 'pull_request' and parent == 'issue':
        return v  # issue.pull_request: small, all links meaningful
    if is_user(v):
        return pick(v, USER_KEYS)
    if is_org(v):
        return pick(v, ORG_KEYS)
    if is_repo(v):
        v = pick(v, REPO_KEYS)
    out = {}
    for k, val in v.items():
        if k in DROP:
            continue
        if k.endswith('_url') and k not in KEEP_URL:
            continue
        if k == 'timeline_url':
            continue
        out[k] = trim(val, k, key)
    return out

def write(name, obj):
    p = os.path.join(OUT, name + '.json')
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'w') as f:
        f.write(json.dumps(obj, indent=2, ensure_ascii=False) + '\n')

PICKS = [
    # name, event, index, action, derive
    ('issue_comment.created', 'issue_comment', 3, 'created', on_pr),
    ('issue_comment.created.issue', 'issue_comment', 3, 'created', None),
    ('issue_comment.edited', 'issue_comment', 8, 'edited', on_pr),
    ('issue_comment.edited.issue', 'issue_comment', 8, 'edited', None),
    ('issue_comment.deleted', 'issue_comment', 6, 'deleted', on_pr),
    ('issue_comment.deleted.issue', 'issue_comment', 6, 'deleted', None),
    ('pull_request_review.submitted', 'pull_request_review', 3, 'submitted', None),
    ('pull_request_review.edited', 'pull_request_review', 3, 'submitted', review_edited),
    ('pull_request_review.dismissed', 'pull_request_review', 1, 'dismissed', None),
    ('pull_request_review_comment.created', 'pull_request_review_comment', 2, 'created', None),
    ('pull_request_review_comment.edited', 'pull_request_review_comment', 4, 'edited', None),
    ('pull_request_review_comment.deleted', 'pull_request_review_comment', 3, 'deleted', None),
    ('pull_request.opened', 'pull_request', 14, 'opened', None),
    ('pull_request.closed.unmerged', 'pull_request', 4, 'closed', None),
    ('pull_request.closed.merged', 'pull_request', 4, 'closed', merged),
    ('pull_request.reopened', 'pull_request', 19, 'reopened', None),
    ('pull_request.ready_for_review', 'pull_request', 16, 'ready_for_review', None),
    ('pull_request.review_requested', 'pull_request', 21, 'review_requested', None),
    ('installation.created', 'installation', 2, 'created', None),
    ('installation.deleted', 'installation', 3, 'deleted', None),
    ('installation_repositories.removed', 'installation_repositories', 2, 'removed', None),
    ('push', 'push', 4, None, None),
    ('ping', 'ping', 2, None, None),
]

for name, ev, idx, action, derive in PICKS:
    x = ex(ev, idx, action)
    if derive:
        x = derive(x)
    write(name, trim(x))

# full, untrimmed: the largest issue_comment.created example, turned into a PR comment
cands = [(len(json.dumps(x)), i) for i, x in enumerate(d['issue_comment']) if x['action'] == 'created']
size, idx = max(cands)
print('full from issue_comment index', idx, size, file=sys.stderr)
write('full/issue_comment.created', on_pr(ex('issue_comment', idx, 'created')))
