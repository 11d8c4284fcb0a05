<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shapes a BroadWorks directory (every page of directories/Enterprise or directories/Group, see
  contacts/DirectoryWalk) into the app's contacts JSON: one array of contacts, each
    { "contactId", "displayName", "fname", "lname", "company", "departmentName", "jobTitle",
      "contactEntries": [ { "entryId", "label", "type": "tel" | "email", "uri" } ] }
  Every key is in every contact, empty when the directory has no value for it, so a value that went away is
  cleared in the app. contactId is the BroadWorks user id: stable across calls, one contact per user (a user seen
  on two pages, as a directory changing while it is read can make happen, is listed once).

  Input (one per enterprise or group, shared by all its users; nothing in it is about the user who asked):
    <walk tenant=".." directory="enterprise|group" enterpriseId=".." groupId="..">
      <directory> <Enterprise|Group> page 1 </..> <Enterprise|Group> page 2 </..> ... </directory>
    </walk>
  XSI documents are matched by local name (*:), as in account.xsl.

  A tenant override (xslt/tenants/<tenant>/contacts.xsl) imports this file and replaces a hook. Public
  (namespace p = urn:provisioning-proxy):
    mode p:contact    (match directoryDetails)  the contact: one fn:map (xml-to-json vocabulary); call
                                                p:contact-map with other values to keep the shape
    mode p:entries    (match directoryDetails)  its contactEntries: fn:map elements made with p:entry
    function p:entry($id, $label, $type, $uri)  one contact entry, nothing when $uri is blank
    $p:label-work, $p:label-extension, $p:label-mobile, $p:label-email   the entries' labels
    from lib/common.xsl: p:first, p:full-name, p:dial-number
  Names in pp (urn:provisioning-proxy:private) are internals that may change.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:fn="http://www.w3.org/2005/xpath-functions"
                xmlns:map="http://www.w3.org/2005/xpath-functions/map"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:import href="lib/common.xsl"/>

  <!-- JSON text, UTF-8: built in the xml-to-json vocabulary, so key order is fixed and the checksum stable -->
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:variable name="p:label-work" as="xs:string" select="'work'"/>
  <xsl:variable name="p:label-extension" as="xs:string" select="'extension'"/>
  <xsl:variable name="p:label-mobile" as="xs:string" select="'mobile'"/>
  <xsl:variable name="p:label-email" as="xs:string" select="'email'"/>

  <xsl:template match="/">
    <xsl:variable name="contacts" as="element(fn:array)">
      <fn:array>
        <!-- one contact per user id, in the directory's order; an entry without a user id stands alone -->
        <xsl:for-each-group select="walk/directory/*/*/*:directoryDetails"
                            group-by="(p:first(*:userId), generate-id())[1]">
          <xsl:apply-templates select="current-group()[1]" mode="p:contact"/>
        </xsl:for-each-group>
      </fn:array>
    </xsl:variable>
    <xsl:value-of select="xml-to-json($contacts)"/>
  </xsl:template>

  <xsl:template match="*:directoryDetails" mode="p:contact">
    <xsl:variable name="extra" select="*:additionalDetails"/>
    <xsl:variable name="fname" select="p:first((*:firstName, *:firstNameUnicode))"/>
    <xsl:variable name="lname" select="p:first((*:lastName, *:lastNameUnicode))"/>
    <xsl:variable name="entries" as="element(fn:map)*">
      <xsl:apply-templates select="." mode="p:entries"/>
    </xsl:variable>
    <xsl:sequence select="p:contact-map(map {
        'contactId': p:first(*:userId),
        'displayName': p:first((string-join(($fname, $lname), ' '), *:number, *:extension, *:userId)),
        'fname': $fname,
        'lname': $lname,
        'company': p:first(*:groupName),
        'departmentName': p:first(($extra/*:department, *:department)),
        'jobTitle': p:first(($extra/*:title, *:title))
      }, $entries)"/>
  </xsl:template>

  <xsl:template match="*:directoryDetails" mode="p:entries">
    <xsl:variable name="extra" select="*:additionalDetails"/>
    <xsl:sequence select="p:entry('work', $p:label-work, 'tel', p:dial-number(*:number))"/>
    <xsl:sequence select="p:entry('extension', $p:label-extension, 'tel', p:dial-number(*:extension))"/>
    <xsl:sequence select="p:entry('mobile', $p:label-mobile, 'tel', p:dial-number(($extra/*:mobile, *:mobile)[1]))"/>
    <xsl:sequence select="p:entry('email', $p:label-email, 'email', p:first(($extra/*:emailAddress, *:emailAddress)))"/>
  </xsl:template>

  <!--
    A contact in its fixed shape: the keys below, in this order, each a string ('' when absent), then
    contactEntries. $values may hold more keys: they follow, sorted by name.
  -->
  <xsl:function name="p:contact-map" as="element(fn:map)">
    <xsl:param name="values" as="map(xs:string, xs:string?)"/>
    <xsl:param name="entries" as="element(fn:map)*"/>
    <xsl:variable name="fixed" select="('contactId', 'displayName', 'fname', 'lname', 'company', 'departmentName',
                                        'jobTitle')"/>
    <fn:map>
      <xsl:for-each select="$fixed, sort(map:keys($values)[not(. = $fixed)])">
        <fn:string key="{.}">{$values(.)}</fn:string>
      </xsl:for-each>
      <fn:array key="contactEntries">
        <xsl:sequence select="$entries"/>
      </fn:array>
    </fn:map>
  </xsl:function>

  <xsl:function name="p:entry" as="element(fn:map)?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:param name="uri" as="xs:string?"/>
    <xsl:if test="normalize-space($uri)">
      <fn:map>
        <fn:string key="entryId">{$id}</fn:string>
        <fn:string key="label">{$label}</fn:string>
        <fn:string key="type">{$type}</fn:string>
        <fn:string key="uri">{normalize-space($uri)}</fn:string>
      </fn:map>
    </xsl:if>
  </xsl:function>

</xsl:stylesheet>
