"""Local servers that speak each platform's documented API contract (shared/spec/social-apis.md)."""
