from discrepancy.names import same_name, same_place


def test_spelling_variants_match():
    assert same_name("Mevlüt Cavusoglu", "Mevlut Cavusoglu")
    assert same_name("Erdogan", "Recep Tayyip Erdoğan")
    assert same_name("S-400 Triumf", "S-400 Triumph")
    assert same_name("Zelensky", "Zelenskyy")
    assert same_name("Müller", "Mueller")


def test_different_names_do_not_match():
    assert not same_name("John Smith", "Jane Smith")
    assert not same_name("Countering America's Adversarial Missile Act",
                         "Countering America’s Adversaries Through Sanctions Act")


def test_place_inside_another_matches():
    assert same_place("Izmir", "Izmir province")
    assert same_place("Mersin", "Anamur-Mersin military base")
    assert not same_place("Ankara", "Anamur-Mersin military base")
