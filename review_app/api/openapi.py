"""The OpenAPI 3.1 description of /api/v1. A test checks it against the routes, so they cannot drift."""

from nlp import STANCES, THEMES

ERROR = {"$ref": "#/components/schemas/Error"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
STAGE = {"enum": ["draft", "final"], "description": "draft: the response plan put to residents for comment; final: the plan"}
STATUS = {"enum": ["", "planned", "in progress", "done", "not adopted"], "description": "\"\" while not decided"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _json(schema_ref: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
READ_ERRORS = {"304": {"description": "Not modified (ETag matched)"}, "400": _error("Bad parameter"),
               "404": _error("No such public round"), "429": _error("Too many requests")}

SCHEMAS = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message", "field"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}, "field": NULLABLE_STRING}}},
    },
    "Round": {
        "type": "object",
        "required": ["slug", "title", "status", "published_comment_count", "url"],
        "properties": {
            "slug": {"type": "string"}, "title": {"type": "string"}, "summary": {"type": "string"},
            "department": {"type": "string"}, "status": {"enum": ["open", "closed", "reported"]},
            "moderation_mode": {"enum": ["pre", "post"]}, "opens_at": DATE_TIME, "closes_at": DATE_TIME,
            "report_expected_at": DATE_TIME, "published_comment_count": {"type": "integer", "minimum": 0},
            "url": {"type": "string"},
        },
    },
    "RoundList": {"type": "object", "required": ["rounds"],
                  "properties": {"rounds": {"type": "array", "items": {"$ref": "#/components/schemas/Round"}}}},
    "RoundDetail": {"allOf": [{"$ref": "#/components/schemas/Round"}, {
        "type": "object", "required": ["sections", "comments_url"],
        "properties": {"comments_url": {"type": "string"}, "sections": {"type": "array", "items": {
            "type": "object", "required": ["number", "heading", "body"],
            "properties": {"number": {"type": "string"}, "heading": {"type": "string"}, "body": {"type": "string"},
                           "position": {"type": "integer"}}}}}}]},
    "Comment": {
        "type": "object",
        "required": ["id", "body", "themes", "stance", "support_count", "created_at"],
        "properties": {
            "id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]}, "thread_id": {"type": ["integer", "null"]},
            "section": NULLABLE_STRING, "display_name": {"type": "string"}, "body": {"type": "string"},
            "themes": {"type": "array", "items": {"type": "string"}}, "stance": {"enum": list(STANCES)},
            "declared_stance": {"enum": [*STANCES, None]}, "campaign_id": {"type": ["integer", "null"]},
            "channel": {"enum": ["web", "paper", "kiosk", "sms"]}, "support_count": {"type": "integer", "minimum": 0},
            "created_at": DATE_TIME, "published_at": DATE_TIME,
            "status": {"enum": ["checking", "held", "pending", "published"],
                       "description": "of a comment just submitted: checking (for personal data), held (personal data "
                                      "found: a moderator removes it first), pending (awaits approval) or published"},
            "receipt": {"type": "string"},
        },
    },
    "CommentPage": {
        "type": "object", "required": ["comments", "pagination"],
        "properties": {
            "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
            "pagination": {"type": "object", "required": ["page", "per_page", "total", "next", "prev"], "properties": {
                "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"},
                "next": NULLABLE_STRING, "prev": NULLABLE_STRING}},
        },
    },
    "NewComment": {
        "type": "object", "required": ["body", "channel"],
        "properties": {
            "body": {"type": "string", "minLength": 1, "maxLength": 5000},
            "channel": {"enum": ["web", "paper", "kiosk", "sms"]},
            "section": {"type": "string"}, "stance": {"enum": list(STANCES)},
            "display_name": {"type": "string", "maxLength": 80}, "email": {"type": "string", "format": "email"},
        },
    },
    "Created": {"type": "object", "required": ["comment"], "properties": {"comment": {"$ref": "#/components/schemas/Comment"}}},
    "Summary": {
        "type": "object", "required": ["comments", "voices", "commenters", "themes", "districts"],
        "properties": {
            "comments": {"type": "integer"}, "voices": {"type": "integer"}, "commenters": {"type": "integer"},
            "supports": {"type": "integer"},
            "themes": {"type": "array", "items": {"type": "object", "required": ["key", "voices", "stance"], "properties": {
                "key": {"type": "string"}, "label": {"type": "string"}, "voices": {"type": "integer"},
                "comments": {"type": "integer"}, "signatures_in_campaigns": {"type": "integer"},
                "stance": {"type": "object"}, "phrases": {"type": "array"}, "quotes": {"type": "array"}}}},
            "districts": {"type": ["array", "null"], "description": "null while the round takes comments; "
                          "groups under 5, and as many more as keep them from being worked out, are suppressed",
                          "items": {"type": "object", "properties": {
                              "district": {"type": "string"}, "residents": {"type": ["integer", "null"]},
                              "suppressed": {"type": "boolean"}}}},
        },
    },
    "ReportList": {"type": "object", "required": ["reports"], "properties": {"reports": {"type": "array", "items": {
        "type": "object", "required": ["number", "stage", "published_at", "url"],
        "properties": {"number": {"type": "integer"}, "stage": STAGE, "published_at": DATE_TIME, "change_note": {"type": "string"},
                       "amended_at": {"type": ["string", "null"], "format": "date-time"}, "amendment_note": {"type": "string"},
                       "url": {"type": "string"}}}}}},
    "Report": {"type": "object", "required": ["number", "stage", "published_at", "content"], "properties": {
        "number": {"type": "integer"}, "stage": STAGE, "published_at": DATE_TIME, "change_note": {"type": "string"},
        "amended_at": {"type": ["string", "null"], "format": "date-time",
                       "description": "when a quoted comment was last hidden, redacted, withdrawn or restored"},
        "amendment_note": {"type": "string"},
        "content": {"type": "object", "description": "each quote: its comment's current public text, or null text "
                                                      "and a removal notice"}}},
    "Action": {
        "type": "object",
        "required": ["id", "theme", "title", "status", "indicator", "current_value", "measured_on", "milestones", "updates"],
        "properties": {
            "id": {"type": "integer"}, "theme": {"type": "string"}, "title": {"type": "string"}, "status": STATUS,
            "what_we_will_do": {"type": "string"}, "owner": {"type": "string"}, "due_date": NULLABLE_DATE,
            "policy_section": {"type": ["string", "null"], "description": "the number of the policy section the action changes; null: the whole policy"},
            "indicator": {"type": "string"}, "baseline": {"type": "string"}, "target": {"type": "string"},
            "data_source": {"type": "string"}, "current_value": {"type": "string", "description": "\"\" until measured"},
            "measured_on": NULLABLE_DATE,
            "milestones": {"type": "array", "items": {"type": "object", "required": ["on", "title", "reached_on"], "properties": {
                "on": {"type": "string", "format": "date"}, "title": {"type": "string"}, "reached_on": NULLABLE_DATE}}},
            "updates": {"type": "array", "description": "newest first", "items": {
                "type": "object", "required": ["posted_at", "status", "body"],
                "properties": {"posted_at": {"type": "string", "format": "date-time"}, "status": STATUS, "body": {"type": "string"},
                               "indicator_value": {"type": "string"}, "measured_on": NULLABLE_DATE,
                               "milestone": NULLABLE_STRING}}}},
    },
    "ActionList": {"type": "object", "required": ["actions"],
                   "properties": {"actions": {"type": "array", "items": {"$ref": "#/components/schemas/Action"}}}},
}


def openapi_document() -> dict:
    comment_filters = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000000}},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
        {"name": "section", "in": "query", "schema": {"type": "string"}, "description": "a section number of the round; another value matches nothing"},
        {"name": "theme", "in": "query", "schema": {"enum": list(THEMES)}},
        {"name": "stance", "in": "query", "schema": {"enum": list(STANCES)}, "description": "the declared stance"},
        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}},
        {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}},
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Civic Review open data API", "version": "1.0.0",
                 "description": "Public review rounds, residents' published comments (personal data removed), "
                                "themed summaries and reports; comment intake for integrations with a token."},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": SCHEMAS, "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI document"}}}},
            "/rounds": {"get": {"summary": "Public rounds", "responses": {"200": _json("RoundList"), **READ_ERRORS}}},
            "/rounds/{slug}": {"get": {"summary": "A round and its sections", "parameters": [SLUG],
                                       "responses": {"200": _json("RoundDetail"), **READ_ERRORS}}},
            "/rounds/{slug}/comments": {
                "get": {"summary": "Published comments, oldest first", "parameters": [SLUG, *comment_filters],
                        "responses": {"200": _json("CommentPage"), **READ_ERRORS}},
                "post": {
                    "summary": "Submit a comment on a resident's behalf (paper form, kiosk, SMS)",
                    "security": [{"token": []}],
                    "parameters": [SLUG, {"name": "Idempotency-Key", "in": "header", "required": True,
                                          "schema": {"type": "string", "minLength": 1, "maxLength": 48}}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewComment"}}}},
                    "responses": {
                        "201": _json("Created", "Stored"), "200": _json("Created", "Already stored with this Idempotency-Key"),
                        "400": _error("Bad request"), "401": _error("No valid token"), "403": _error("Token not allowed for this round"),
                        "404": _error("No such public round"), "409": _error("Round closed, or key reused for another comment"),
                        "413": _error("Body too large"), "422": _error("Invalid field"), "429": _error("Too many requests"),
                    },
                },
            },
            "/rounds/{slug}/summary": {"get": {"summary": "Themed summary of published comments", "parameters": [SLUG],
                                               "responses": {"200": _json("Summary"), **READ_ERRORS}}},
            "/rounds/{slug}/reports": {"get": {"summary": "Published report versions", "parameters": [SLUG],
                                               "responses": {"200": _json("ReportList"), **READ_ERRORS}}},
            "/rounds/{slug}/reports/{number}": {"get": {
                "summary": "One published report version",
                "parameters": [SLUG, {"name": "number", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
                "responses": {"200": _json("Report"), **READ_ERRORS}}},
            "/rounds/{slug}/actions": {"get": {
                "summary": "The actions of the round's final plan: status, milestones, indicator values and progress updates "
                           "(empty until the final plan is published)",
                "parameters": [SLUG], "responses": {"200": _json("ActionList"), **READ_ERRORS}}},
            "/rounds/{slug}/actions/{action_id}": {"get": {
                "summary": "One action of the round's final plan",
                "parameters": [SLUG, {"name": "action_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
                "responses": {"200": _json("Action"), **READ_ERRORS}}},
        },
    }
