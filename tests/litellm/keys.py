"""LiteLLM keys without a database, for the failure tests.

LiteLLM keeps virtual keys (and their teams, models and tags) in a database reached through
Prisma, whose engines are downloaded at run time: not possible offline. A custom auth function
is LiteLLM's own way to decide who a key is without one; with custom_auth_run_common_checks on,
LiteLLM then runs the same checks (model access, budgets) it runs for database keys.
"""

from litellm.proxy._types import UserAPIKeyAuth

# key -> what LiteLLM's key record would hold
KEYS = {
    "sk-rig-master-key": {},
    # A key limited to one model: asking it for another is "a key without rights".
    "sk-rig-claude-only": {"models": ["fake-claude"], "key_alias": "claude-only"},
    # A key past its expiry: LiteLLM refuses it (what Interceptor's configured key may become).
    "sk-rig-expired": {"expires": "2020-01-01T00:00:00+00:00", "key_alias": "expired"},
    # The fix LiteLLM 1.83.10 to 1.84.0-rc.1 need for client tags to count (later versions ignore it).
    "sk-rig-client-tags": {"metadata": {"allow_client_tags": True}, "key_alias": "client-tags"},
}


async def user_api_key_auth(request, api_key: str) -> UserAPIKeyAuth:
    rights = KEYS.get(api_key)
    if rights is None:
        raise Exception("Invalid API key (not one of the rig's keys)")
    return UserAPIKeyAuth(api_key=api_key, **rights)
