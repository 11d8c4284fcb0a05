<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shapes the subscriber's call features (one XSI document per service, read in parallel) into the answer of
  GET /services/features, XML or JSON ($format); and the answer of a change (PUT /services/features/<name>):
  the same document with only that feature ($only).
    XML  <features>
           <do-not-disturb><active>true</active><ringSplash>false</ringSplash></do-not-disturb>
           <call-forwarding-no-answer><active>true</active><forwardToPhoneNumber>+15551234</forwardToPhoneNumber>
             <numberOfRings>5</numberOfRings></call-forwarding-no-answer>
           <broadworks-anywhere><alertAllLocationsForClickToDialCalls>false</alertAllLocationsForClickToDialCalls>
             <alertAllLocationsForGroupPagingCalls>false</alertAllLocationsForGroupPagingCalls>
             <locations><location><phoneNumber/><description/><active/></location>...</locations>
           </broadworks-anywhere> ...
         </features>
    JSON {"do-not-disturb":{"active":true,"ringSplash":false}, "call-forwarding-no-answer":{..., "numberOfRings":5},
          "broadworks-anywhere":{..., "locations":[{"phoneNumber":"..","description":"..","active":true}]}, ...}
  Features in the order of $pp:features; a feature the user does not have (XSI 403) is left out. Each field of a
  feature it has is present: a switch is true or false, a number its text (trimmed), numberOfRings an integer;
  a value XSI does not give is an empty element (JSON null). A field marked optional (ringSplash of Busy and Not
  Reachable, which only some releases have) is there only when XSI gives it.

  Input: the walk document (walk/WalkDocumentBuilder), <feature-<name>> holding the service's document.
  Parameters: $format 'xml' (default) or 'json'; $only '' (every feature) or one feature's name.
  Names in pp (urn:provisioning-proxy:private) are internals that may change.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:fn="http://www.w3.org/2005/xpath-functions"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:param name="format" as="xs:string" select="'xml'"/>
  <xsl:param name="only" as="xs:string" select="''"/>

  <!-- as call-history.xsl: text for both formats, the XML by fn:serialize, the JSON by fn:xml-to-json -->
  <xsl:output method="text" encoding="UTF-8"/>

  <!-- every feature: the app's name, the XSI service (the part is feature-<name>), its fields and their types -->
  <xsl:variable name="pp:features" as="element(pp:feature)+">
    <pp:feature name="do-not-disturb">
      <pp:field name="active" type="boolean"/>
      <pp:field name="ringSplash" type="boolean"/>
    </pp:feature>
    <pp:feature name="call-forwarding-always">
      <pp:field name="active" type="boolean"/>
      <pp:field name="forwardToPhoneNumber" type="string"/>
      <pp:field name="ringSplash" type="boolean"/>
    </pp:feature>
    <pp:feature name="call-forwarding-busy">
      <pp:field name="active" type="boolean"/>
      <pp:field name="forwardToPhoneNumber" type="string"/>
      <pp:field name="ringSplash" type="boolean" optional="true"/>
    </pp:feature>
    <pp:feature name="call-forwarding-no-answer">
      <pp:field name="active" type="boolean"/>
      <pp:field name="forwardToPhoneNumber" type="string"/>
      <pp:field name="numberOfRings" type="integer"/>
    </pp:feature>
    <pp:feature name="call-forwarding-not-reachable">
      <pp:field name="active" type="boolean"/>
      <pp:field name="forwardToPhoneNumber" type="string"/>
      <pp:field name="ringSplash" type="boolean" optional="true"/>
    </pp:feature>
    <pp:feature name="broadworks-anywhere">
      <pp:field name="alertAllLocationsForClickToDialCalls" type="boolean"/>
      <pp:field name="alertAllLocationsForGroupPagingCalls" type="boolean"/>
      <pp:locations/>
    </pp:feature>
    <pp:feature name="anonymous-call-rejection">
      <pp:field name="active" type="boolean"/>
    </pp:feature>
    <pp:feature name="automatic-callback">
      <pp:field name="active" type="boolean"/>
    </pp:feature>
    <pp:feature name="calling-line-id-delivery-blocking">
      <pp:field name="active" type="boolean"/>
    </pp:feature>
    <pp:feature name="remote-office">
      <pp:field name="active" type="boolean"/>
      <pp:field name="remoteOfficeNumber" type="string"/>
    </pp:feature>
  </xsl:variable>

  <!-- the fields of a location of BroadWorks Anywhere -->
  <xsl:variable name="pp:location" as="element(pp:field)+">
    <pp:field name="phoneNumber" type="string"/>
    <pp:field name="description" type="string"/>
    <pp:field name="active" type="boolean"/>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:variable name="walk" select="walk"/>
    <xsl:variable name="features" as="element()*">
      <xsl:for-each select="$pp:features[$only = ('', @name)]">
        <xsl:variable name="service" select="$walk/*[local-name() = 'feature-' || current()/@name]/*[1]"/>
        <xsl:if test="exists($service)">
          <xsl:sequence select="pp:feature(., $service)"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$format eq 'json'">
        <xsl:variable name="json" as="element(fn:map)">
          <fn:map>
            <xsl:for-each select="$features">
              <xsl:variable name="feature" select="$pp:features[@name = local-name(current())]"/>
              <fn:map key="{local-name()}">
                <xsl:sequence select="pp:json-fields(*[not(self::locations)], $feature/pp:field)"/>
                <xsl:for-each select="locations">
                  <fn:array key="locations">
                    <xsl:for-each select="location">
                      <fn:map>
                        <xsl:sequence select="pp:json-fields(*, $pp:location)"/>
                      </fn:map>
                    </xsl:for-each>
                  </fn:array>
                </xsl:for-each>
              </fn:map>
            </xsl:for-each>
          </fn:map>
        </xsl:variable>
        <xsl:value-of select="xml-to-json($json)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="document" as="element(features)">
          <features>
            <xsl:sequence select="$features"/>
          </features>
        </xsl:variable>
        <xsl:value-of select="serialize($document, map {'method': 'xml', 'encoding': 'UTF-8',
                                                        'omit-xml-declaration': false(), 'indent': false()})"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One feature as the XML answer has it: its fields from the XSI document $service, in the table's order -->
  <xsl:function name="pp:feature" as="element()">
    <xsl:param name="feature" as="element(pp:feature)"/>
    <xsl:param name="service" as="element()"/>
    <xsl:element name="{$feature/@name}">
      <xsl:sequence select="pp:fields($service, $feature/pp:field)"/>
      <xsl:if test="$feature/pp:locations">
        <locations>
          <xsl:for-each select="$service/*:locations/*:location">
            <location>
              <xsl:sequence select="pp:fields(., $pp:location)"/>
            </location>
          </xsl:for-each>
        </locations>
      </xsl:if>
    </xsl:element>
  </xsl:function>

  <xsl:function name="pp:fields" as="element()*">
    <xsl:param name="from" as="element()"/>
    <xsl:param name="fields" as="element(pp:field)*"/>
    <xsl:for-each select="$fields">
      <xsl:variable name="given" select="$from/*[local-name() = current()/@name][1]"/>
      <xsl:if test="not(@optional = 'true') or exists($given)">
        <xsl:element name="{@name}">{pp:value($given, @type)}</xsl:element>
      </xsl:if>
    </xsl:for-each>
  </xsl:function>

  <!--
    A value as the answer writes it: a switch true or false (XSI's text trimmed; anything else is no value), an
    integer as digits, a text trimmed; '' when there is none (xsi:nil, absent, unreadable)
  -->
  <xsl:function name="pp:value" as="xs:string">
    <xsl:param name="given" as="element()?"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="text" select="normalize-space($given)"/>
    <xsl:sequence select="if ($type eq 'boolean') then (if ($text = ('true', 'false')) then $text else '')
                          else if ($type eq 'integer') then (if ($text castable as xs:integer)
                                                             then string(xs:integer($text)) else '')
                          else $text"/>
  </xsl:function>

  <!-- The fields of an answer element in the xml-to-json vocabulary, typed by the table; '' is null -->
  <xsl:function name="pp:json-fields" as="element()*">
    <xsl:param name="values" as="element()*"/>
    <xsl:param name="fields" as="element(pp:field)*"/>
    <xsl:for-each select="$values">
      <xsl:variable name="type" select="$fields[@name = local-name(current())]/@type"/>
      <xsl:choose>
        <xsl:when test=". eq ''">
          <fn:null key="{local-name()}"/>
        </xsl:when>
        <xsl:when test="$type eq 'boolean'">
          <fn:boolean key="{local-name()}">{.}</fn:boolean>
        </xsl:when>
        <xsl:when test="$type eq 'integer'">
          <fn:number key="{local-name()}">{.}</fn:number>
        </xsl:when>
        <xsl:otherwise>
          <fn:string key="{local-name()}">{.}</fn:string>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

</xsl:stylesheet>
