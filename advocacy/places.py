"""US states and territories, and the state a ZIP code belongs to (by its first three digits).

The U.S. Postal Service assigns each three-digit ZIP prefix (a sectional center) to one state;
the few ZIP codes that cross a state line are why a chosen state wins over the derived one.
Military mail (AA, AE, AP) has prefixes of its own. Unassigned prefixes derive nothing.
"""

from ala_site.us_states import US_STATES

# The states and territories of every app, plus military mail, which has ZIP prefixes of its own.
STATES = [*US_STATES, ("AA", "Armed Forces Americas"), ("AE", "Armed Forces Europe"), ("AP", "Armed Forces Pacific")]

STATE_NAMES = dict(STATES)

# (first prefix, last prefix, state), inclusive. Later rows override earlier ones, so the few
# prefixes inside another state's range (055 in Vermont's, 733 in Oklahoma's) come after it.
_RANGES = [
    (5, 5, "NY"), (6, 7, "PR"), (8, 8, "VI"), (9, 9, "PR"), (10, 27, "MA"), (28, 29, "RI"),
    (30, 38, "NH"), (39, 49, "ME"), (50, 59, "VT"), (55, 55, "MA"), (60, 69, "CT"), (70, 89, "NJ"),
    (90, 99, "AE"), (100, 149, "NY"), (150, 196, "PA"), (197, 199, "DE"), (200, 200, "DC"),
    (201, 201, "VA"), (202, 205, "DC"), (206, 219, "MD"), (220, 246, "VA"), (247, 268, "WV"),
    (270, 289, "NC"), (290, 299, "SC"), (300, 319, "GA"), (320, 349, "FL"), (340, 340, "AA"),
    (350, 369, "AL"), (370, 385, "TN"), (386, 397, "MS"), (398, 399, "GA"), (400, 427, "KY"),
    (430, 459, "OH"), (460, 479, "IN"), (480, 499, "MI"), (500, 528, "IA"), (530, 549, "WI"),
    (550, 567, "MN"), (569, 569, "DC"), (570, 577, "SD"), (580, 588, "ND"), (590, 599, "MT"),
    (600, 629, "IL"), (630, 658, "MO"), (660, 679, "KS"), (680, 693, "NE"), (700, 714, "LA"),
    (716, 729, "AR"), (730, 749, "OK"), (733, 733, "TX"), (750, 799, "TX"), (800, 816, "CO"),
    (820, 831, "WY"), (832, 838, "ID"), (840, 847, "UT"), (850, 865, "AZ"), (870, 884, "NM"),
    (885, 885, "TX"), (889, 898, "NV"), (900, 961, "CA"), (962, 966, "AP"), (967, 968, "HI"),
    (969, 969, "GU"), (970, 979, "OR"), (980, 994, "WA"), (995, 999, "AK"),
]  # fmt: skip

_BY_PREFIX = {}
for _first, _last, _state in _RANGES:
    for _prefix in range(_first, _last + 1):
        _BY_PREFIX[_prefix] = _state


def state_for_zip(zip_code):
    """The state code of a five-digit ZIP code (ZIP+4 accepted), or "" when its prefix tells none."""
    digits = zip_code[:3]
    if len(digits) != 3 or not digits.isdigit():
        return ""
    return _BY_PREFIX.get(int(digits), "")
