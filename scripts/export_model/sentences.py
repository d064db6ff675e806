"""Varied sentences for checking the int8 model against the fp32 torch model.

They mix the framework's own words, situations in leaders' words, jargon, admin and small talk,
American spelling, typos and non-English text, because quantisation error shows most on inputs
unlike the calibration-free average: very short, very long and out-of-vocabulary ones.
"""

from __future__ import annotations

CHECK_SENTENCES: tuple[str, ...] = (
    "Patience, persistence and resilience",
    "Leading without and beyond authority",
    "Managing conflict and uncertainty in a multi-disciplinary team",
    "How do I stay resilient when the system pushes back?",
    "Two councils and the acute trust each want their own dashboard and none of them reports to me",
    "My appraiser says I come across as arrogant in meetings",
    "Our most deprived neighbourhoods have the worst access to GP appointments",
    "I need to get better at listening to patients' families",
    "what does National Voices say about fairness",
    "how do I make a bar chart in Teams",
    "what's the process for a change request",
    "can you book me a room for the ICB board meeting",
    "we need to make the call on closing a minor injuries unit",
    "how do I explain our ICS strategy to local councillors?",
    "im knackered and burnt out",
    "cheers",
    "ok",
    "great, ta",
    "The PCN clinical directors won't share data with the federation",
    "Our PDSA cycles keep stalling after the first round",
    "How do we involve VCSE partners in the Core20PLUS5 work?",
    "The MDT meeting turns into a blame session every week",
    "I was just promoted to lead a team of former peers",
    "How can I organize a collaborative workshop across organizations?",
    "Behavior change in a large program is hard to sustain",
    "Who runs leadership courses in the North West?",
    "contact Leeds",
    "principles carers",
    "behaviours resilience",
    "resiliance",
    "collaberation across organisations",
    "zxcvbnm",
    "weather tomorrow",
    "Person-centred care means people have choice and control over their care",
    "Services are co-produced with the communities that use them",
    "Staff morale on the ward has dropped since the restructure",
    "The finance director keeps vetoing anything that costs money this year",
    "I feel like an impostor when I chair the system board",
    "We have a waiting list backlog of eighteen months for orthopaedics",
    "How do I give difficult feedback to a senior consultant?",
    "Our integrated care board wants a single outcomes framework by April",
    "Nobody owns the discharge pathway between the hospital and social care",
    "I want to build trust with the local authority's public health team",
    "Where do I order a new ID badge?",
    "Le leadership collectif dans le système de santé",
    "🙂 thanks so much!",
    "A" * 40,
    (
        "Over the last six months our community services division has struggled to recruit "
        "district nurses, the acute trust has been on black alert most weeks, the local authority "
        "has cut its domiciliary care budget, and I have been asked to chair a system-wide group "
        "to fix delayed discharges without any budget or authority over the partners involved."
    ),
    "Holding people to account for the work while staying compassionate",
    "Evaluating the impact of a quality improvement project across the system",
)
