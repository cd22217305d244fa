from django.core.management import call_command

from orgs.models import AwardGroup, Organization, OrganizationKind, Sector


def test_the_nine_county_level_units_form_award_group_one(gazette):
    names = list(Organization.objects.filter(award_group=AwardGroup.COUNTY).values_list("name", flat=True))
    assert names == [
        "集贤县",
        "友谊县",
        "宝清县",
        "饶河县",
        "尖山区",
        "岭东区",
        "四方台区",
        "宝山区",
        "市经开区管委会",
    ]


def test_the_fifteen_municipal_lead_units_form_award_group_two(gazette):
    group2 = Organization.objects.filter(award_group=AwardGroup.MUNICIPAL)
    assert group2.count() == 15
    assert group2.first().name == "市住房城乡建设局"


def test_every_investment_unit_of_table_two_exists(gazette):
    for name in [
        "市林草局",
        "双鸭山珠三角合作服务中心",
        "市政府驻北京联络处",
        "市电子商务发展服务中心",
        "市粮食局",
    ]:
        assert Organization.objects.filter(name=name).exists(), name


def test_each_county_has_its_market_agriculture_and_police_offices(gazette):
    baoqing = Organization.objects.get(name="宝清县")
    offices = Organization.objects.filter(district=baoqing, kind=OrganizationKind.COUNTY_DEPARTMENT)
    assert set(offices.values_list("sector", flat=True)) == {Sector.MARKET, Sector.AGRICULTURE, Sector.POLICE}


def test_aliases_match_imported_names(gazette):
    kaifaqu = Organization.objects.get(name="市经开区管委会")
    assert kaifaqu.matches(" 经开区管委会 ")
    assert not kaifaqu.matches("宝清县")


def test_a_second_load_changes_nothing(gazette):
    history_before = Organization.history.count()
    call_command("load_gazette", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Organization.history.count() == history_before
